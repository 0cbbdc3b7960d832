#pragma once
// Reaching the snapshots from a handler (internal): the ports when the daemon wired them, and
// the answers for a snapshot that cannot be served.

#include <optional>
#include <string>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/restores.hpp"

namespace backupd::api::detail {

// The snapshot ports, or nullopt when this daemon serves no snapshots (ApiServices).
inline std::optional<core::SnapshotPorts> snapshot_ports(const ApiServices& services) {
    if (!services.snapshots || !services.snapshot_files) return std::nullopt;
    return core::SnapshotPorts{services.jobs, *services.snapshots, *services.snapshot_files,
                               services.job_queued};
}

inline HttpResponse snapshots_not_served() {
    return error_response(core::ErrorCode::not_found, "Snapshots are not served here");
}

inline HttpResponse no_such_snapshot(core::JobId id) {
    const core::JobError refusal = core::no_such_snapshot(id);
    return error_response(refusal.code, refusal.message);
}

inline HttpResponse bad_snapshot_id() {
    return error_response(core::ErrorCode::invalid_request,
                          "a snapshot id is a positive whole number (the id of its backup job)");
}

}  // namespace backupd::api::detail
