#pragma once
// What the backup root looks like to this node now: its free space, whether it can be written,
// and, when it cannot take a backup, why (one core::ErrorCode). Reported by /readyz and
// /metrics; measured by worker::BackupRootWatch. A plain value.

#include <cstdint>
#include <optional>
#include <string>

#include "backupd/core/error.hpp"

namespace backupd::core {

struct BackupRootState {
    // statvfs of the backup root: bytes an unprivileged writer may still use (f_bavail) and the
    // file system's size. nullopt when statvfs failed.
    std::optional<std::int64_t> free_bytes;
    std::optional<std::int64_t> size_bytes;
    // Whether this process may create entries in the root directory (faccessat W_OK).
    bool writable = true;
    // Why a backup cannot succeed here now: backup_disk_full, backup_root_read_only, or
    // snapshot_write_failed when the root cannot even be examined. nullopt: nothing known wrong.
    std::optional<ErrorCode> problem;
    // The client-facing reason for `problem` (no server paths).
    std::string message;
    // The code of the last backup on this node that failed on the backup root (disk full,
    // read-only, other write error), until a later snapshot commits. nullopt: none since.
    std::optional<ErrorCode> last_fault;
};

}  // namespace backupd::core
