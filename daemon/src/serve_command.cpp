// `backupd serve`: the start-up sequence, start-up recovery and the wiring of store, worker and
// api. The order is the point (docs/design.md section 5):
//   1. build every object without touching the database or the backup root's contents;
//   2. bind and serve HTTP: a taken port fails start-up here, before anything is claimed or
//      deleted; /healthz answers from now on, /readyz says {"status":"recovering"} and the
//      other routes answer 503;
//   3. recover: wait for the database, apply migrations, expire the previous incarnation's
//      leases; then start the workers;
//   4. ready: the port file, systemd's READY=1, /readyz 200; orphans of crashed attempts are
//      removed in the background meanwhile (a big staging tree must not delay any of this).
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/dashboard_routes.hpp"
#include "backupd/api/health_routes.hpp"
#include "backupd/api/http_server.hpp"
#include "backupd/copy/snapshot_browser.hpp"
#include "backupd/core/error.hpp"
#include "backupd/core/watched_job_queue.hpp"
#include "backupd/store/migrations.hpp"
#include "backupd/store/sql_audit_log.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "backupd/store/sql_plan_store.hpp"
#include "backupd/store/sql_snapshot_catalog.hpp"
#include "backupd/worker/backup_root_watch.hpp"
#include "backupd/worker/orphan_collector.hpp"
#include "backupd/worker/scheduler.hpp"
#include "backupd/worker/source_folders.hpp"
#include "backupd/worker/worker_pool.hpp"
#include "commands.hpp"
#include "database_setup.hpp"
#include "serve_support.hpp"
#include "systemd_notify.hpp"

namespace backupd::daemon {
namespace {

constexpr std::chrono::seconds kShutdownGrace{10};

std::string host_name() {
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0) return "backupd";
    return buffer;
}

// A new identity per run, so a restarted node can tell its old leases from its own.
std::string new_incarnation() {
    std::random_device random;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) out += kHex[random() % 16];
    return out;
}

worker::WorkerPoolOptions worker_options(const Config& config, const core::LeaseOwner& owner,
                                         worker::RunnerCatalogs catalogs,
                                         worker::BackupRootWatch& root_watch) {
    worker::WorkerPoolOptions options;
    options.workers = config.workers;
    options.owner = owner;
    options.runner.copy_threads = config.copy_threads;
    options.runner.catalogs = catalogs;
    options.runner.root_watch = &root_watch;
    return options;
}

// Everything `serve` runs on. Constructing it touches neither the database (it connects
// lazily) nor what the backup root holds (it only opens, or creates, the two roots).
struct Node {
    explicit Node(const Config& config)
        : database(make_database(config)),
          owner{config.node_id.empty() ? host_name() : config.node_id, new_incarnation()},
          queue(*database, store::QueueOptions{config.lease}),
          watched_queue(queue, job_watch),
          audit(*database),
          snapshots(*database),
          plans(*database),
          source_root(open_root(config.source_root, "source")),
          backup_root(copy::BackupRoot::open(config.backup_root)),
          restore_root(open_root(config.restore_root, "restore")),
          folders(source_root.get()),
          snapshot_files(backup_root),
          root_watch(backup_root.fd()),
          workers(watched_queue, {backup_root, source_root.get(), restore_root.get()},
                  worker_options(config, owner, {&snapshots, &plans}, root_watch)),
          scheduler(plans, [this] { workers.wake(); }) {}

    std::unique_ptr<store::Database> database;
    core::LeaseOwner owner;
    store::SqlJobQueue queue;
    // Every change this node makes to a job wakes the requests waiting for it.
    core::JobWatch job_watch;
    core::WatchedJobQueue watched_queue;
    store::SqlAuditLog audit;
    store::SqlSnapshotCatalog snapshots;
    store::SqlPlanStore plans;
    copy::UniqueFd source_root;
    copy::BackupRoot backup_root;
    copy::UniqueFd restore_root;
    worker::FilesystemSourceFolders folders;
    copy::SnapshotBrowser snapshot_files;
    worker::BackupRootWatch root_watch;  // for /readyz and /metrics
    worker::WorkerPool workers;
    worker::Scheduler scheduler;  // fires due plans; started with the workers
};

api::ApiServices api_services(Node& node, const std::atomic<bool>& recovering) {
    return api::ApiServices{
        .jobs = node.watched_queue,
        .audit = node.audit,
        .folders = node.folders,
        .snapshots = &node.snapshots,
        .snapshot_files = &node.snapshot_files,
        .plans = &node.plans,
        .job_queued = [&node] { node.workers.wake(); },
        .job_watch = &node.job_watch,
        .recovering = [&recovering] { return recovering.load(); },
        .database_ready =
            [&node] {
                node.database->ping();
                return true;
            },
        .workers_alive = [&node] { return node.workers.alive(); },
        .backup_root = [&node] { return std::optional(node.root_watch.state()); },
        .lease_expiries = [&node] { return node.workers.lease_expiries(); },
    };
}

api::ServerOptions server_options(const Config& config, api::RequestMetrics& metrics) {
    api::ServerOptions options;
    options.host = config.listen_host;
    options.port = config.listen_port;
    options.io_threads = config.io_threads;
    options.handler_threads = config.handler_threads;
    options.tls = tls_files(config);
    options.observe = [&metrics](const std::string& route, int status,
                                 std::chrono::nanoseconds latency) {
        metrics.record(route, status, latency);
    };
    options.max_connections = config.max_connections;
    options.max_queued_requests = config.max_queued_requests;
    options.rate_limit = config.rate_limit;
    options.rate_limit_burst = config.rate_limit_burst;
    options.refused = [&metrics](api::Refusal reason) { metrics.record_refusal(reason); };
    return options;
}

// /healthz and the dashboard's files at once (they touch no database); every other route through
// the recovery gate (serve_support.hpp).
api::Router make_router(const api::ApiServices& services, const api::RequestMetrics& metrics,
                        const std::atomic<bool>& recovering) {
    api::Router routes;
    api::add_api_routes(routes, services, metrics);
    api::Router router =
        gate_until_recovered(std::move(routes), [&recovering] { return recovering.load(); });
    api::add_health_routes(router);
    api::add_dashboard_routes(router, api::embedded_web_assets());
    return router;
}

// Start-up recovery, before any worker claims: the schema, then the jobs this node's previous
// run held (it crashed or was killed), requeued at once instead of after a lease period.
void recover(Node& node, const Config& config) {
    wait_for_database(*node.database, config);
    if (config.migrate) {
        const auto report = store::migrate(*open_schema_database(config));
        for (const auto& name : report.applied)
            spdlog::info("event=migration_applied name={}", name);
    }
    const auto recovered = node.queue.expire_previous_incarnations(node.owner);
    if (recovered.requeued + recovered.failed > 0) {
        spdlog::info("event=previous_leases_expired node={} requeued={} failed={}", node.owner.node,
                     recovered.requeued, recovered.failed);
    }
}

// Removes what crashed attempts left in the backup root, on its own thread, while the workers
// already run. It must start after recover(): a staging directory of the previous run's job
// still counts as live until that job's lease is expired. Why a live attempt's staging
// directory or fresh snapshot is never taken for an orphan: worker/orphan_collector.hpp.
std::jthread collect_orphans_in_background(core::JobQueue& queue, const copy::BackupRoot& root) {
    return std::jthread([&queue, &root] {
        const auto started = std::chrono::steady_clock::now();
        try {
            const auto orphans = worker::collect_orphans(queue, root);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
            spdlog::info("event=orphans_collected staging={} snapshots={} seconds={:.3f}",
                         orphans.staging_removed, orphans.snapshots_removed, took.count());
        } catch (const core::Error& e) {
            spdlog::error("event=orphan_collection_failed error=\"{}\"", e.detail());
        } catch (const std::exception& e) {
            spdlog::error("event=orphan_collection_failed error=\"{}\"", e.what());
        }
    });
}

// SIGHUP: the TLS files again, for new connections (HttpServer::reload_tls()).
void reload_tls(api::HttpServer& server) {
    if (!server.tls_enabled()) {
        spdlog::info("event=sighup_ignored reason=\"TLS is not configured\"");
        return;
    }
    try {
        server.reload_tls();
        spdlog::info("event=tls_reloaded");
    } catch (const std::exception& e) {
        spdlog::error("event=tls_reload_failed error=\"{}\" keeps=previous", e.what());
    }
}

}  // namespace

int run_serve(const Config& given) {
    // credential:NAME values name files in systemd's $CREDENTIALS_DIRECTORY.
    const Config config = resolve_credentials(given, std::getenv("CREDENTIALS_DIRECTORY"));
    const api::TokenSet tokens = load_tokens(config);
    if (check_tls_rule(config)) {
        spdlog::warn(
            "event=insecure_no_tls address={} reason=\"plain HTTP beyond loopback: a "
            "proxy in front must end TLS\"",
            config.listen_host);
    }
    Node node(config);
    std::atomic<bool> recovering{true};
    api::RequestMetrics metrics;
    const api::ApiServices services = api_services(node, recovering);
    // Binds in the constructor: a taken port throws here, before any claim or deletion.
    api::HttpServer server(server_options(config, metrics),
                           make_router(services, metrics, recovering), tokens);
    server.start();
    spdlog::info("event=listening address={} state=recovering", server.local_address());
    SystemdNotifier systemd([&node] { return node.workers.alive(); });
    systemd.status("recovering");

    recover(node, config);
    node.workers.start();
    // After the workers: a run fired at start-up (the catch-up) finds a worker to take it.
    node.scheduler.start();
    recovering = false;
    std::jthread orphan_collector = collect_orphans_in_background(node.queue, node.backup_root);

    // The port file and READY=1 mean "ready to take work", as /readyz 200 does.
    if (!config.port_file.empty()) write_port_file(config.port_file, server.local_address());
    spdlog::info(
        "event=serving address={} database={} node={} auth={} tls={} source_root={} "
        "backup_root={} restore_root={}",
        server.local_address(), node.database->url().redacted(), node.owner.node,
        tokens.empty() ? "off" : "bearer", server.tls_enabled() ? "on" : "off",
        config.source_root.string(), config.backup_root.string(), config.restore_root.string());
    systemd.ready("serving on " + server.local_address());

    const int signal = wait_for_stop_signal([&server] { reload_tls(server); });
    systemd.stopping("draining");
    spdlog::info("event=stopping signal={}", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    node.scheduler.stop();
    node.workers.stop_claiming();
    server.stop(kShutdownGrace);
    node.workers.stop(config.drain);
    orphan_collector.join();  // collect_orphans() has no stop: a big removal is waited for
    spdlog::info("event=stopped");
    return 0;
}

}  // namespace backupd::daemon
