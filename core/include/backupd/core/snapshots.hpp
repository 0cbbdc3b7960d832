#pragma once
// Snapshots as a resource (docs/design.md section 6): what the database records about each one
// (the SnapshotCatalog port) and what the backup disk holds (the SnapshotFiles port).
//
// A snapshot is the product of a succeeded backup job and has that job's id. Its files live
// under the backup root at `path` ("<folder>/<YYYYMMDDTHHMMSSZ>-<id>"); its manifest beside it,
// outside the browsable tree.
//
// Thread-safety: implementations are safe from any thread. Every call blocks (database or file
// system): never call them on an HTTP I/O thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backupd/core/job.hpp"
#include "backupd/core/retention.hpp"
#include "backupd/core/time.hpp"

namespace backupd::core {

enum class VerifyState { never, ok, failed };

std::string_view to_string(VerifyState state);
std::optional<VerifyState> parse_verify_state(std::string_view text);

struct Snapshot {
    JobId id = 0;
    std::string folder;
    std::string name;               // "<YYYYMMDDTHHMMSSZ>-<id>"
    std::string path;               // "<folder>/<name>", relative to the backup root
    Timestamp created_at{};         // when its backup job ended
    std::int64_t files = 0;         // regular files
    std::int64_t bytes = 0;         // their logical size
    std::int64_t bytes_copied = 0;  // new data written for this snapshot (the rest is linked)
    VerifyState verify_state = VerifyState::never;
    std::optional<Timestamp> verified_at;
    std::optional<ManifestSummary> manifest;  // unset for snapshots made before manifests
    bool pinned = false;                      // never pruned, refused by delete
};

struct SnapshotFilter {
    std::optional<std::string> folder;
    std::optional<JobId> before;  // keyset cursor: snapshots with a smaller id (newest first)
    std::size_t limit = 100;
};

struct SnapshotPage {
    std::vector<Snapshot> snapshots;  // newest first
    std::optional<JobId> next;
};

// The database's record of snapshots: the succeeded backup jobs that made one, less the pruned.
//
// Pruning is two steps, so a crash at any point is safe: start_pruning marks snapshots
// `pruning` (from then on no read here returns them: a half-removed snapshot is never listed
// as whole), the worker removes their files, then finish_pruning marks them `pruned`. A prune
// job first finishes what an earlier one left `pruning` in its folder.
class SnapshotCatalog {
public:
    virtual ~SnapshotCatalog() = default;
    virtual std::optional<Snapshot> find(JobId id) = 0;
    virtual SnapshotPage list(const SnapshotFilter& filter) = 0;

    // Every snapshot of `folder`, in any order, with whether it is pinned and whether a restore
    // or verify of it is queued or running (in use).
    virtual std::vector<RetentionCandidate> retention_candidates(std::string_view folder) = 0;

    // Pins or unpins a snapshot. False when there is no such snapshot.
    virtual bool set_pinned(JobId id, bool pinned) = 0;

    // Fenced on the prune job's claim: marks those of `ids` that are still whole, not pinned
    // and not in use `pruning`, in one transaction, and returns them. nullopt: the lease is lost,
    // nothing changed.
    virtual std::optional<std::vector<Snapshot>> start_pruning(const Claim& claim,
                                                               const std::vector<JobId>& ids) = 0;
    // Snapshots of `folder` marked `pruning` whose removal is not yet recorded.
    virtual std::vector<Snapshot> pruning(std::string_view folder) = 0;
    // Records that their files are gone.
    virtual void finish_pruning(const std::vector<JobId>& ids) = 0;

    // Snapshots on disk per folder (for /metrics), by folder.
    virtual std::vector<std::pair<std::string, std::int64_t>> count_by_folder() = 0;
};

enum class EntryType { file, dir, symlink, other };

std::string_view to_string(EntryType type);

// One entry of a snapshot directory, as stored on disk.
struct DirectoryEntry {
    std::string name;
    EntryType type = EntryType::other;
    std::int64_t size = 0;
    Timestamp mtime{};
    std::uint32_t mode = 0;             // permission bits (07777)
    std::optional<std::string> target;  // symlinks: where the link points (never followed)
};

struct DirectoryPage {
    std::vector<DirectoryEntry> entries;  // by name, byte order
    std::optional<std::string> next;      // cursor: the last name of this page, when more follow
};

// An open regular file of a snapshot, read from any offset.
class SnapshotFile {
public:
    virtual ~SnapshotFile() = default;
    virtual std::int64_t size() const = 0;
    // Reads up to buffer.size() bytes at `offset`; 0 at the end. Throws core::Error.
    virtual std::size_t read(std::int64_t offset, std::span<char> buffer) = 0;
};

struct OpenedSnapshotFile {
    std::unique_ptr<SnapshotFile> file;
    std::optional<std::string> digest;  // its content digest in the manifest, when there is one
};

// The snapshots on the backup disk. `snapshot_path` is Snapshot::path; `path` is relative to the
// snapshot and already checked by check_snapshot_path (empty: the snapshot's top directory).
// Nothing is followed: a symbolic link on the way is refused (symlink_in_path).
// Errors are thrown as core::Error: not_found (no such snapshot or entry), not_a_directory,
// not_a_file, symlink_in_path, snapshot_unreadable.
class SnapshotFiles {
public:
    virtual ~SnapshotFiles() = default;
    // Whether the snapshot's directory is still on disk.
    virtual bool exists(std::string_view snapshot_path) const = 0;
    // One page of a directory's entries, by name, after `after` (a previous page's cursor).
    virtual DirectoryPage list(std::string_view snapshot_path, std::string_view path,
                               const std::optional<std::string>& after,
                               std::size_t limit) const = 0;
    // The type of the entry `path` (non-empty), found without opening it: a symbolic link as
    // the last segment is the link itself. Cheap enough to check every path of a request.
    virtual EntryType entry_type(std::string_view snapshot_path, std::string_view path) const = 0;
    // Opens a regular file for reading.
    virtual OpenedSnapshotFile open(std::string_view snapshot_path,
                                    std::string_view path) const = 0;
};

}  // namespace backupd::core
