#pragma once
// The file-system implementation of core::SourceFolders: folders beneath one source root,
// opened the way the copy engine opens them (never through a symbolic link).

#include "backupd/copy/source_folder.hpp"
#include "backupd/core/source_folders.hpp"

namespace backupd::worker {

// The job error for a folder that cannot be opened: a stable code and "<reason>: <folder>".
core::JobError folder_error(copy::SourceFolderError error, std::string_view folder);

class FilesystemSourceFolders final : public core::SourceFolders {
public:
    // Borrows `source_root`, an open directory descriptor.
    explicit FilesystemSourceFolders(int source_root) : source_root_(source_root) {}

    std::optional<core::JobError> check(std::string_view folder) const override;
    std::optional<core::JobError> check_name(std::string_view folder) const override;

private:
    int source_root_;
};

}  // namespace backupd::worker
