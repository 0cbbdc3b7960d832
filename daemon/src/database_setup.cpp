#include "database_setup.hpp"

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"

namespace backupd::daemon {

std::unique_ptr<store::Database> open_database(const Config& config) {
    std::optional<std::string> password;
    if (const char* env = std::getenv("BACKUPD_DATABASE_PASSWORD")) password = env;
    store::DatabaseUrl url;
    try {
        url = store::parse_database_url(config.database, password);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
    // One connection per thread that may wait on the database at once: handlers, workers
    // (claim and heartbeat), and the reaper.
    store::DatabaseOptions options;
    options.pool_size = config.handler_threads + 2 * config.workers + 1;
    auto database = std::make_unique<store::Database>(url, options);
    const auto deadline = std::chrono::steady_clock::now() + config.database_wait;
    for (int attempt = 1;; ++attempt) {
        try {
            database->ping();
            return database;
        } catch (const core::Error& e) {
            if (std::chrono::steady_clock::now() >= deadline) {
                throw std::runtime_error("database " + url.redacted() +
                                         " unreachable: " + e.detail());
            }
            spdlog::warn("event=database_unreachable database={} attempt={} error=\"{}\"",
                         url.redacted(), attempt, e.detail());
            std::this_thread::sleep_for(std::chrono::seconds{1});
        }
    }
}

}  // namespace backupd::daemon
