#include "database_setup.hpp"

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"

namespace backupd::daemon {

namespace {

store::DatabaseUrl database_url(const Config& config) {
    std::optional<std::string> password;
    if (const char* env = std::getenv("BACKUPD_DATABASE_PASSWORD")) password = env;
    store::DatabaseUrl url;
    try {
        url = store::parse_database_url(config.database, password);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
    return url;
}

// A schema statement's bound: long enough for any migration seen, short of hanging forever
// on a server that died mid-statement.
constexpr std::chrono::hours kSchemaIoTimeout{1};

}  // namespace

std::unique_ptr<store::Database> make_database(const Config& config) {
    // One connection per thread that may wait on the database at once: handlers, workers
    // (claim and heartbeat), the reaper and the orphan collector.
    store::DatabaseOptions options;
    options.pool_size = config.handler_threads + 2 * config.workers + 2;
    return std::make_unique<store::Database>(database_url(config), options);
}

void wait_for_database(store::Database& database, const Config& config) {
    const auto deadline = std::chrono::steady_clock::now() + config.database_wait;
    const std::string url = database.url().redacted();
    for (int attempt = 1;; ++attempt) {
        try {
            database.ping();
            return;
        } catch (const core::Error& e) {
            if (std::chrono::steady_clock::now() >= deadline) {
                throw std::runtime_error("database " + url + " unreachable: " + e.detail());
            }
            spdlog::warn("event=database_unreachable database={} attempt={} error=\"{}\"", url,
                         attempt, e.detail());
            std::this_thread::sleep_for(std::chrono::seconds{1});
        }
    }
}

std::unique_ptr<store::Database> open_database(const Config& config) {
    auto database = make_database(config);
    wait_for_database(*database, config);
    return database;
}

std::unique_ptr<store::Database> open_schema_database(const Config& config) {
    auto database = std::make_unique<store::Database>(
        database_url(config),
        store::DatabaseOptions{.pool_size = 1, .io_timeout = kSchemaIoTimeout});
    wait_for_database(*database, config);
    return database;
}

}  // namespace backupd::daemon
