#pragma once
// The routes of docs/design.md section 7 and what they need. Handlers are thin: they check input,
// call one plain function over the ports (core/backups.hpp, core/restores.hpp,
// core/audited_queries.hpp) or one port call, and shape the answer. They run on the server's
// handler threads (they block on the database), never on its I/O threads.

#include <chrono>
#include <cstdint>
#include <functional>

#include "backupd/api/metrics.hpp"
#include "backupd/api/router.hpp"
#include "backupd/core/audit_log.hpp"
#include "backupd/core/backup_root_state.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/core/job_watch.hpp"
#include "backupd/core/plans.hpp"
#include "backupd/core/snapshots.hpp"
#include "backupd/core/source_folders.hpp"

namespace backupd::api {

struct ApiServices {
    core::JobQueue& jobs;
    core::AuditLog& audit;
    const core::SourceFolders& folders;
    // The snapshots: the database's catalog and the backup disk. When either is null, the
    // snapshot, restore and verify routes answer 404 not_found ("not served here") and create
    // no job; the job routes still show every kind.
    core::SnapshotCatalog* snapshots = nullptr;
    const core::SnapshotFiles* snapshot_files = nullptr;
    // The plans. When it (or `snapshots`) is null, the plan routes and DELETE
    // /api/v1/snapshots/{id} answer 404 not_found and create no job.
    core::PlanStore* plans = nullptr;
    // A job this node may run was queued: wake a local worker.
    std::function<void()> job_queued = [] {};
    // Tells waiting requests (?wait=N, POST /backup/{folder}) that a job changed on this node;
    // without it they only look again every `wait_recheck`.
    core::JobWatch* job_watch = nullptr;
    // For GET /readyz. While `recovering` says so (start-up recovery is not done yet), it
    // answers 503 {"status":"recovering"} before asking the others.
    std::function<bool()> recovering = [] { return false; };
    std::function<bool()> database_ready = [] { return true; };
    std::function<bool()> workers_alive = [] { return true; };
    // For GET /readyz and /metrics: the backup root's state (cheap, cached by the provider). A
    // problem makes /readyz 503 with its code; nullopt: no backup root is reported.
    std::function<std::optional<core::BackupRootState>()> backup_root = [] {
        return std::optional<core::BackupRootState>();
    };
    // For GET /metrics: leases the reaper found expired since start.
    std::function<std::int64_t()> lease_expiries = [] { return std::int64_t{0}; };
    // Upper bound of ?wait=N, and how long POST /backup/{folder} waits for the outcome.
    std::chrono::seconds max_wait{300};
    std::chrono::seconds short_form_wait{60};
    // How often a waiting request reads its jobs anyway, for jobs run by other nodes.
    std::chrono::milliseconds wait_recheck{1000};
};

// POST/GET /api/v1/backups, GET/DELETE /api/v1/backups/{id}, POST /backup/{folder...}.
void add_backup_routes(Router& router, const ApiServices& services);
// GET /api/v1/jobs, GET/DELETE /api/v1/jobs/{id}: jobs of every kind.
void add_job_routes(Router& router, const ApiServices& services);
// GET /api/v1/snapshots, GET/DELETE /api/v1/snapshots/{id}, .../{id}/files, .../{id}/content,
// POST/DELETE .../{id}/pin.
void add_snapshot_routes(Router& router, const ApiServices& services);
// POST /api/v1/restores, POST /api/v1/snapshots/{id}/verify.
void add_restore_routes(Router& router, const ApiServices& services);
// POST/GET /api/v1/plans, GET/PUT/DELETE /api/v1/plans/{name}, POST .../{name}/run and
// .../{name}/prune.
void add_plan_routes(Router& router, const ApiServices& services);
// GET /api/v1/logs and GET /logs.
void add_log_routes(Router& router, const ApiServices& services);
// GET /api/v1/stats, GET /stats and GET /api/v1/stats/daily.
void add_stats_routes(Router& router, const ApiServices& services);
// GET /readyz, GET /metrics, GET /api/v1/openapi.yaml.
void add_operator_routes(Router& router, const ApiServices& services,
                         const RequestMetrics& metrics);

// Every route above plus /healthz.
inline void add_api_routes(Router& router, const ApiServices& services,
                           const RequestMetrics& metrics) {
    add_backup_routes(router, services);
    add_job_routes(router, services);
    add_snapshot_routes(router, services);
    add_restore_routes(router, services);
    add_plan_routes(router, services);
    add_log_routes(router, services);
    add_stats_routes(router, services);
    add_operator_routes(router, services, metrics);
}

}  // namespace backupd::api
