#pragma once
// Making a snapshot of one folder: stage a full copy, then commit it under its final name.
//
//   BackupRoot root(backup_root_fd);
//   auto staged = stage_snapshot(root, source_root_fd, request, options);  // copies
//   ... check the lease ...
//   std::string path = staged.commit();   // fsync'd and renamed: "<folder>/<name>"
//   ... record the outcome in the database (the commit point) ...
//   root.publish_latest(folder, path);
//
// Every snapshot has a manifest (manifest.hpp): written while copying to
// ".staging/<id>-<attempt>.manifest" and fsync'd, it becomes "<folder>/<name>.manifest" (the
// folder directory fsync'd) just before the snapshot directory is renamed to "<folder>/<name>",
// so it is durable before the commit; a manifest without its directory is an orphan.
//
// A StagedSnapshot that is destroyed uncommitted deletes its staging directory and manifest, so
// a partial copy never appears under a final name. Thread-safe for distinct jobs (distinct staging
// names); one folder must not be snapshotted twice at once (the queue guarantees it).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "backupd/copy/copy_tree.hpp"
#include "backupd/copy/filesystem.hpp"
#include "backupd/copy/source_folder.hpp"
#include "backupd/copy/unique_fd.hpp"

namespace backupd::copy {

// The backup root directory, opened once, and the file system every snapshot made into it
// goes through (its source side included): the seam tests use to fail the disk. Its layout is
// in snapshot_layout.hpp.
class BackupRoot {
public:
    // Takes ownership of an open directory descriptor; borrows `filesystem`.
    explicit BackupRoot(UniqueFd directory, const Filesystem& filesystem = system_filesystem());
    // Opens (creating if needed) the directory at `path`; throws std::system_error.
    static BackupRoot open(const std::string& path,
                           const Filesystem& filesystem = system_filesystem());

    int fd() const { return directory_.get(); }
    const Filesystem& filesystem() const { return *filesystem_; }

    // Points `<folder>/latest` at `snapshot` ("<folder>/<name>", as commit() returned it),
    // atomically (a new link renamed over the old one), unless it already names a newer
    // snapshot. Throws std::system_error.
    void publish_latest(std::string_view folder, std::string_view snapshot) const;

    // The directory `latest` points at for `folder`, or an empty descriptor.
    UniqueFd open_latest(std::string_view folder) const;

    // The name of the snapshot `<folder>/latest` points at ("<name>", a sibling of the link),
    // whether or not that snapshot is still there; nullopt when there is no link or it names
    // anything but a snapshot.
    std::optional<std::string> latest_name(std::string_view folder) const;

    // Points `<folder>/latest` at `snapshot` ("<folder>/<name>" or "<name>") whatever it names
    // now, an older snapshot included, atomically as publish_latest does; nullopt removes the
    // link (absent is fine). For a prune that removed the snapshot the link named. Throws
    // std::system_error.
    void repoint_latest(std::string_view folder, std::optional<std::string_view> snapshot) const;

    // Deletes a snapshot or staging directory given relative to the root, then its manifest
    // ("<path>.manifest"); absent is fine.
    void remove(std::string_view relative_path) const;

private:
    UniqueFd directory_;
    const Filesystem* filesystem_;
};

struct SnapshotRequest {
    std::string folder;       // validated by open_source_folder
    std::int64_t job_id = 0;  // 0 for a snapshot without a job
    int attempt = 1;
    std::chrono::sys_seconds taken_at{};  // names the snapshot
};

class StagedSnapshot {
public:
    StagedSnapshot(StagedSnapshot&&) noexcept;
    StagedSnapshot& operator=(StagedSnapshot&&) = delete;
    StagedSnapshot(const StagedSnapshot&) = delete;
    ~StagedSnapshot();  // discards the staging directory unless committed

    // The copy's outcome; for a completed copy, result().manifest is the snapshot's manifest.
    const CopyResult& result() const { return result_; }

    // Flushes the copy to disk, renames its manifest to "<folder>/<name>.manifest" and syncs the
    // folder directory, then renames the copy to "<folder>/<name>" (a later second is taken
    // if either name exists), and returns that path. Only for a completed copy. Throws
    // std::system_error; a failed rename of the directory removes the manifest again.
    std::string commit();

    // Deletes the staging directory and its manifest now.
    void discard();

private:
    friend std::variant<StagedSnapshot, SourceFolderError> stage_snapshot(const BackupRoot&, int,
                                                                          const SnapshotRequest&,
                                                                          const CopyOptions&);
    StagedSnapshot(const BackupRoot& root, SnapshotRequest request, std::string staging,
                   UniqueFd staging_fd, CopyResult result);

    // Moves the staged manifest to "<folder>/<name>.manifest"; false if that name exists.
    bool place_manifest(int folder, const std::string& name);
    // Takes the placed manifest back (to staging, or removes it) after a failed commit.
    void take_back_manifest(int folder, const std::string& name, bool to_staging);

    const BackupRoot* root_;
    SnapshotRequest request_;
    std::string staging_;  // relative to the root; empty once committed or discarded
    UniqueFd staging_fd_;
    CopyResult result_;
};

// Opens `request.folder` beneath the directory `source_root` (a SourceFolderError when it
// cannot), creates its staging directory and manifest (replacing a leftover of the same
// attempt) and copies the tree into it, linking unchanged files from the folder's `latest`
// snapshot (judged by that snapshot's manifest when it has one), through `root.filesystem()`.
// The `manifest` and `previous_manifest` of `options` are ignored: this sets them. The copy may
// have stopped or aborted: see result(). Failures of the backup root throw std::system_error and
// leave no staging directory behind.
std::variant<StagedSnapshot, SourceFolderError> stage_snapshot(const BackupRoot& root,
                                                               int source_root,
                                                               const SnapshotRequest& request,
                                                               const CopyOptions& options);

}  // namespace backupd::copy
