#include <spdlog/spdlog.h>

#include "backupd/store/migrations.hpp"
#include "commands.hpp"
#include "database_setup.hpp"

namespace backupd::daemon {

int run_migrate(const Config& config) {
    const auto database = open_schema_database(config);
    const auto report = store::migrate(*database);
    for (const auto& name : report.applied) spdlog::info("event=migration_applied name={}", name);
    spdlog::info("event=migrated database={} from_version={} to_version={}",
                 database->url().redacted(), report.from_version, report.to_version);
    // The counts /stats reads, rebuilt from the jobs table: the repair for counts gone wrong.
    const auto recount = store::recount_jobs(*database);
    if (recount.corrected) {
        spdlog::warn("event=job_counts_corrected jobs={}", recount.jobs);
    } else {
        spdlog::info("event=job_counts_checked jobs={}", recount.jobs);
    }
    return 0;
}

}  // namespace backupd::daemon
