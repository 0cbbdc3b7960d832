#pragma once
// How /readyz and /metrics report the backup root (core::BackupRootState). Pure functions.

#include <optional>
#include <string>

#include "backupd/api/http_message.hpp"
#include "backupd/core/backup_root_state.hpp"

namespace backupd::api {

// The /readyz answer for a backup root with a problem: 503 {"error": {"code", "message"}},
// the code saying what is wrong (backup_disk_full, backup_root_read_only,
// snapshot_write_failed). nullopt when the root can take backups. A full disk makes the node
// not ready: it cannot take the work readiness promises.
std::optional<HttpResponse> backup_root_unready(const core::BackupRootState& state);

// The backupd_backup_root_* families of /metrics, each with # HELP and # TYPE:
// free_bytes and size_bytes (left out when statvfs failed), writable (0/1), and
// problem{code} and last_fault{code} (0/1, one series per backup-root code).
std::string render_backup_root_metrics(const core::BackupRootState& state);

}  // namespace backupd::api
