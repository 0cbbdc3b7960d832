#include <csignal>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/health_routes.hpp"
#include "backupd/api/http_server.hpp"
#include "backupd/core/watched_job_queue.hpp"
#include "backupd/store/migrations.hpp"
#include "backupd/store/sql_audit_log.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "backupd/worker/orphan_collector.hpp"
#include "backupd/worker/source_folders.hpp"
#include "backupd/worker/worker_pool.hpp"
#include "commands.hpp"
#include "database_setup.hpp"
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

void write_port_file(const std::filesystem::path& file, const std::string& address) {
    // Write then rename, so a reader never sees a half-written address.
    const auto temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << address << "\n";
        if (!out) throw std::runtime_error("cannot write the port file " + file.string());
    }
    std::filesystem::rename(temporary, file);
}

// Blocks until SIGTERM or SIGINT and returns it. The signals are blocked in every thread
// (main() does it before starting any), so only this wait sees them.
int wait_for_stop_signal() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    int received = 0;
    sigwait(&signals, &received);
    return received;
}

copy::UniqueFd open_source_root(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) {
        std::filesystem::create_directories(path);
        spdlog::warn("event=source_root_created path=\"{}\"", path.string());
    }
    copy::UniqueFd root(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot open the source root " + path.string());
    }
    return root;
}

worker::WorkerPoolOptions worker_options(const Config& config, const core::LeaseOwner& owner) {
    worker::WorkerPoolOptions options;
    options.workers = config.workers;
    options.owner = owner;
    options.runner.lease = config.lease;
    options.runner.copy_threads = config.copy_threads;
    return options;
}

api::TokenSet load_tokens(const Config& config) {
    if (!config.api_token_file.empty()) return api::TokenSet::load(config.api_token_file);
    if (!is_loopback(config.listen_host) && !config.insecure_no_auth) {
        throw std::runtime_error("refusing to listen on " + config.listen_host +
                                 " without API tokens: give --api-token-file, or "
                                 "--insecure-no-auth if this network is trusted");
    }
    return {};
}

}  // namespace

int run_serve(const Config& config) {
    const api::TokenSet tokens = load_tokens(config);
    const auto database = open_database(config);
    if (config.migrate) {
        const auto report = store::migrate(*database);
        for (const auto& name : report.applied)
            spdlog::info("event=migration_applied name={}", name);
    }

    const core::LeaseOwner owner{config.node_id.empty() ? host_name() : config.node_id,
                                 new_incarnation()};
    store::SqlJobQueue queue(*database, store::QueueOptions{config.lease});
    // Every change this node makes to a job wakes the requests waiting for it.
    core::JobWatch job_watch;
    core::WatchedJobQueue watched_queue(queue, job_watch);
    const auto recovered = queue.expire_previous_incarnations(owner);
    if (recovered.requeued + recovered.failed > 0) {
        spdlog::info("event=previous_leases_expired node={} requeued={} failed={}", owner.node,
                     recovered.requeued, recovered.failed);
    }

    const copy::UniqueFd source_root = open_source_root(config.source_root);
    const auto backup_root = copy::BackupRoot::open(config.backup_root);
    const auto orphans = worker::collect_orphans(queue, backup_root);
    if (orphans.staging_removed + orphans.snapshots_removed > 0) {
        spdlog::info("event=orphans_collected staging={} snapshots={}", orphans.staging_removed,
                     orphans.snapshots_removed);
    }
    worker::WorkerPool workers(watched_queue, backup_root, source_root.get(),
                               worker_options(config, owner));
    workers.start();

    store::SqlAuditLog audit(*database);
    const worker::FilesystemSourceFolders folders(source_root.get());
    api::RequestMetrics metrics;
    const api::ApiServices services{
        .jobs = watched_queue,
        .audit = audit,
        .folders = folders,
        .job_queued = [&workers] { workers.wake(); },
        .job_watch = &job_watch,
        .database_ready =
            [&database] {
                database->ping();
                return true;
            },
        .workers_alive = [&workers] { return workers.alive(); },
        .lease_expiries = [&workers] { return workers.lease_expiries(); },
    };

    api::Router router;
    api::add_health_routes(router);
    api::add_api_routes(router, services, metrics);
    api::ServerOptions options;
    options.host = config.listen_host;
    options.port = config.listen_port;
    options.io_threads = config.io_threads;
    options.handler_threads = config.handler_threads;
    options.observe = [&metrics](const std::string& route, int status,
                                 std::chrono::nanoseconds latency) {
        metrics.record(route, status, latency);
    };
    api::HttpServer server(options, std::move(router), tokens);
    server.start();
    if (!config.port_file.empty()) write_port_file(config.port_file, server.local_address());
    spdlog::info(
        "event=serving address={} database={} node={} auth={} source_root={} "
        "backup_root={}",
        server.local_address(), database->url().redacted(), owner.node,
        tokens.empty() ? "off" : "bearer", config.source_root.string(),
        config.backup_root.string());

    SystemdNotifier systemd([&workers] { return workers.alive(); });
    systemd.ready("serving on " + server.local_address());

    const int signal = wait_for_stop_signal();
    systemd.stopping("draining");
    spdlog::info("event=stopping signal={}", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    workers.stop_claiming();
    server.stop(kShutdownGrace);
    workers.stop(config.drain);
    spdlog::info("event=stopped");
    return 0;
}

}  // namespace backupd::daemon
