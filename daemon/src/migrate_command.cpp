#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"
#include "backupd/store/migrations.hpp"
#include "commands.hpp"
#include "database_setup.hpp"

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
    auto database = std::make_unique<store::Database>(url);
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

int run_migrate(const Config& config) {
    const auto database = open_database(config);
    const auto report = store::migrate(*database);
    for (const auto& name : report.applied) spdlog::info("event=migration_applied name={}", name);
    spdlog::info("event=migrated database={} from_version={} to_version={}",
                 database->url().redacted(), report.from_version, report.to_version);
    return 0;
}

}  // namespace backupd::daemon
