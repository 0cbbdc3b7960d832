#pragma once
// Watches the backup root for /readyz and /metrics: a cheap probe (statvfs and faccessat W_OK
// of the root directory, a few microseconds) cached for `max_age`, plus the last fault a backup
// met on the root, reported by the job runner. Thread-safe: any number of threads may call any
// member at once (one short mutex hold; the probe runs under it at most once per `max_age`).
//
// A disk counts as full when it has no free byte or inode left, or when the last backup failed
// with backup_disk_full and the free space has not grown clearly past what was free once that
// attempt's staging copy was removed (by max(1 MiB, 1% of the file system)): the staging copy
// is gone, so free space alone would look fine, and the attempt needed more than it found.
// What a backup needs is unknowable beforehand (unchanged files are hard links), so this asks
// only that space was made. The verdict holds until then (a remount, a cleanup) or until a
// snapshot commits on this node; it is kept in memory only, so a restart forgets it.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "backupd/core/backup_root_state.hpp"
#include "backupd/core/error.hpp"

namespace backupd::worker {

// What a probe of the root found: an errno per call (0: it worked) and statvfs's figures.
struct BackupRootProbe {
    int statvfs_error = 0;
    std::int64_t free_bytes = 0;
    std::int64_t size_bytes = 0;
    std::int64_t free_inodes = 0;
    int write_access_error = 0;
};

// The last backup that failed on the backup root.
struct BackupRootFault {
    core::ErrorCode code = core::ErrorCode::snapshot_write_failed;
    // Free bytes to wait for: what was free after the failed attempt was cleaned up, plus the
    // margin above; unset when the root could not be examined then.
    std::optional<std::int64_t> bytes_needed;
};

// Probes the directory `root` (borrowed): fstatvfs, then faccessat(W_OK, AT_EACCESS).
BackupRootProbe probe_backup_root(int root);

// The verdict on a probe given the last fault (pure; the rules are in the header comment).
core::BackupRootState judge_backup_root(const BackupRootProbe& probe,
                                        const std::optional<BackupRootFault>& last_fault);

class BackupRootWatch {
public:
    // Borrows the root directory descriptor, which must outlive the watch.
    explicit BackupRootWatch(int root,
                             std::chrono::milliseconds max_age = std::chrono::milliseconds{1000});

    // A backup attempt failed on the backup root with `code`, its staging copy already removed
    // (a disk-full failure probes the root now, to know when space was made).
    void backup_failed(core::ErrorCode code);
    // A snapshot committed: whatever failed before is behind us.
    void snapshot_committed();

    // The root's state, probed at most once per max_age.
    core::BackupRootState state();

private:
    const int root_;
    const std::chrono::milliseconds max_age_;
    std::mutex mutex_;
    std::optional<BackupRootFault> last_fault_;
    std::optional<BackupRootProbe> probe_;
    std::chrono::steady_clock::time_point probed_at_;
};

}  // namespace backupd::worker
