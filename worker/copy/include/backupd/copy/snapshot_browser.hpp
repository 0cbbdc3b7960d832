#pragma once
// core::SnapshotFiles over a backup root: listing a snapshot's directories and opening its files
// for download, never following a symbolic link inside the snapshot.

#include "backupd/copy/snapshot.hpp"
#include "backupd/core/snapshots.hpp"

namespace backupd::copy {

class SnapshotBrowser : public core::SnapshotFiles {
public:
    explicit SnapshotBrowser(const BackupRoot& root) : root_(root) {}

    bool exists(std::string_view snapshot_path) const override;
    core::DirectoryPage list(std::string_view snapshot_path, std::string_view path,
                             const std::optional<std::string>& after,
                             std::size_t limit) const override;
    core::EntryType entry_type(std::string_view snapshot_path,
                               std::string_view path) const override;
    core::OpenedSnapshotFile open(std::string_view snapshot_path,
                                  std::string_view path) const override;

private:
    const BackupRoot& root_;
};

}  // namespace backupd::copy
