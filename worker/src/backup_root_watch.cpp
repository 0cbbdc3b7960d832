#include "backupd/worker/backup_root_watch.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace backupd::worker {
namespace {

std::string reason(int error) {
    return std::strerror(error);
}

}  // namespace

BackupRootProbe probe_backup_root(int root) {
    BackupRootProbe probe;
    struct statvfs info {};
    if (::fstatvfs(root, &info) != 0) {
        probe.statvfs_error = errno;
    } else {
        probe.free_bytes = static_cast<std::int64_t>(info.f_bavail * info.f_frsize);
        probe.size_bytes = static_cast<std::int64_t>(info.f_blocks * info.f_frsize);
        // Some file systems (tmpfs without nr_inodes) report no inode limit: f_files is 0.
        probe.free_inodes = info.f_files == 0 ? 1 : static_cast<std::int64_t>(info.f_favail);
    }
    if (::faccessat(root, ".", W_OK, AT_EACCESS) != 0) probe.write_access_error = errno;
    return probe;
}

core::BackupRootState judge_backup_root(const BackupRootProbe& probe,
                                        const std::optional<BackupRootFault>& last_fault) {
    using core::ErrorCode;
    core::BackupRootState state;
    if (last_fault) state.last_fault = last_fault->code;
    state.writable = probe.write_access_error == 0;
    if (probe.statvfs_error != 0) {
        state.problem = ErrorCode::snapshot_write_failed;
        state.message = core::message_for(
            ErrorCode::snapshot_write_failed,
            "the backup root cannot be examined (" + reason(probe.statvfs_error) + ")");
        return state;
    }
    state.free_bytes = probe.free_bytes;
    state.size_bytes = probe.size_bytes;
    const int access = probe.write_access_error;
    if (access == EROFS || access == EACCES || access == EPERM) {
        state.problem = ErrorCode::backup_root_read_only;
        state.message = core::message_for(ErrorCode::backup_root_read_only, reason(access));
    } else if (access != 0) {
        state.problem = ErrorCode::snapshot_write_failed;
        state.message = core::message_for(ErrorCode::snapshot_write_failed, reason(access));
    } else if (probe.free_bytes <= 0 || probe.free_inodes <= 0) {
        state.problem = ErrorCode::backup_disk_full;
        state.message = core::message_for(ErrorCode::backup_disk_full, reason(ENOSPC));
    } else if (last_fault && last_fault->code == ErrorCode::backup_disk_full &&
               last_fault->bytes_needed && probe.free_bytes < *last_fault->bytes_needed) {
        state.problem = ErrorCode::backup_disk_full;
        state.message = core::message_for(
            ErrorCode::backup_disk_full,
            "the last backup ran out of space; " + std::to_string(probe.free_bytes) +
                " bytes are free, waiting for " + std::to_string(*last_fault->bytes_needed));
    }
    return state;
}

BackupRootWatch::BackupRootWatch(int root, std::chrono::milliseconds max_age)
    : root_(root), max_age_(max_age) {}

void BackupRootWatch::backup_failed(core::ErrorCode code) {
    std::optional<std::int64_t> bytes_needed;
    if (code == core::ErrorCode::backup_disk_full) {
        const BackupRootProbe now = probe_backup_root(root_);
        constexpr std::int64_t kMinimumMargin = std::int64_t{1} << 20;
        if (now.statvfs_error == 0)
            bytes_needed = now.free_bytes + std::max(kMinimumMargin, now.size_bytes / 100);
    }
    std::lock_guard lock(mutex_);
    last_fault_ = BackupRootFault{code, bytes_needed};
    probe_.reset();  // the next state() looks again
}

void BackupRootWatch::snapshot_committed() {
    std::lock_guard lock(mutex_);
    last_fault_.reset();
}

core::BackupRootState BackupRootWatch::state() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (!probe_ || now - probed_at_ >= max_age_) {
        probe_ = probe_backup_root(root_);
        probed_at_ = now;
    }
    return judge_backup_root(*probe_, last_fault_);
}

}  // namespace backupd::worker
