#pragma once
// Reaching the plans from a handler (internal): the ports when the daemon wired them, and the
// answer when it did not.

#include <optional>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/plans.hpp"

namespace backupd::api::detail {

// The plan ports, or nullopt when this daemon serves no plans (ApiServices::plans, or the
// snapshot catalog their retention reads, is null).
inline std::optional<core::PlanPorts> plan_ports(const ApiServices& services) {
    if (!services.plans || !services.snapshots) return std::nullopt;
    return core::PlanPorts{*services.plans, services.jobs, *services.snapshots, services.folders,
                           services.job_queued};
}

inline HttpResponse plans_not_served() {
    return error_response(core::ErrorCode::not_found, "Plans are not served here");
}

}  // namespace backupd::api::detail
