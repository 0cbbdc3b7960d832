#pragma once
// Plans: a folder backed up on a schedule, with retention (docs/design.md section "Plans").
// The PlanStore port holds them and fires them; the functions below are what the API offers,
// plain functions over the ports (no HTTP, no JSON), like core/backups.hpp.
//
// Exactly once: each (plan, due time) becomes at most one job or one skip record, guaranteed by
// the database (a compare-and-set on the plan's next due time in the transaction that creates
// the job, and a unique key on the jobs' (plan, scheduled_for)), never by one process's memory.
//
// Thread-safety: as the ports; they block, so never call them on an HTTP I/O thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/core/job.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/core/retention.hpp"
#include "backupd/core/snapshots.hpp"
#include "backupd/core/source_folders.hpp"
#include "backupd/core/time.hpp"

namespace backupd::core {

// What a client sends (POST and PUT /api/v1/plans).
struct PlanSpec {
    std::string name;      // [a-z0-9][a-z0-9-]{0,63}
    std::string folder;    // a folder name the backup rules accept
    std::string schedule;  // Schedule::parse
    std::string time_zone = "UTC";
    Retention retention;
    bool enabled = true;

    bool operator==(const PlanSpec&) const = default;
};

// The last job the plan made (fired or run by hand).
struct PlanRun {
    JobId job_id = 0;
    JobState state = JobState::queued;
    Timestamp at{};  // finished_at once ended, else submitted_at
};

struct Plan {
    PlanSpec spec;
    Timestamp created_at{};
    Timestamp updated_at{};
    // The next due time not yet fired; unset while the plan is disabled (or its stored
    // schedule stopped parsing: see PlanStore::fire_due).
    std::optional<Timestamp> next_run_at;
    std::optional<PlanRun> last_run;
    std::optional<Timestamp> last_success_at;  // finished_at of its newest succeeded backup
    std::int64_t snapshots = 0;                // snapshots of its folder on disk (not pruned)
    std::int64_t runs_skipped = 0;             // due times skipped because a run was unfinished
};

// What firing one due time of one plan did.
struct FiredRun {
    std::string plan;
    std::string folder;
    Timestamp scheduled_for{};
    // The backup job it queued; unset when the run was skipped, and then `skipped` says why.
    std::optional<Job> job;
    std::string skipped;  // set when job is unset: why (the audit message, if one was written)
};

class PlanStore {
public:
    virtual ~PlanStore() = default;

    // Stores a checked plan; its next due time is computed from the database's clock. Throws
    // core::Error plan_exists when the name is taken.
    virtual Plan create(const PlanSpec& spec) = 0;
    // Replaces the plan named spec.name; nullopt when there is none. Its next due time stays
    // when the plan was and stays enabled with the same schedule and time zone (a due time not
    // yet fired is not lost to an edit); otherwise it is recomputed from now.
    virtual std::optional<Plan> replace(const PlanSpec& spec) = 0;
    // Deletes the plan; its jobs and snapshots stay. False when there is none.
    virtual bool remove(std::string_view name) = 0;
    virtual std::optional<Plan> find(std::string_view name) = 0;
    virtual std::vector<Plan> list() = 0;  // by name

    // Fires every enabled plan whose next due time has come (database clock), at most `limit`,
    // one transaction each. Due times missed while no daemon ran fire once (scheduled_for: the
    // earliest missed one), never as a burst; the next due time is the first after now. A plan
    // whose due time another daemon fired meanwhile is left alone (not returned).
    //
    // A due time that makes no job is returned with `skipped` set, and one `Schedule` record
    // FAILED with that message is written in the same transaction:
    // - "skipped: previous run still running": its previous run is queued or running;
    // - "skipped: a run for this due time already exists": (plan, scheduled_for) already made a
    //   job (only a clock that went back brings a due time round again);
    // - "skipped: the schedule no longer parses: <reason>": its stored schedule or time zone
    //   does not parse (tzdata or version change); its next due time becomes unset, so it stops
    //   being due until a replace gives it a valid schedule.
    // A plan whose transaction fails (core::Error) does not stop the others: the rest fire, and
    // the first error is thrown only when no plan fired (the failed plan stays due and is tried
    // at the next call).
    virtual std::vector<FiredRun> fire_due(std::size_t limit) = 0;
};

// What the plan routes need.
struct PlanPorts {
    PlanStore& plans;
    JobQueue& jobs;
    SnapshotCatalog& catalog;
    const SourceFolders& folders;
    std::function<void()> job_queued = [] {};
};

// Checks a spec: name, folder (SourceFolders::check_name), schedule, time zone, retention
// (counts at least 0; keep_within a duration). nullopt when acceptable; otherwise the error to
// answer (invalid_request, or the folder's code), with a message naming the field.
std::optional<JobError> check_plan(const PlanSpec& spec, const SourceFolders& folders);

// The plan's period as seen from its next due time: the time from `next_run_at` to the due time
// after it (Schedule::next_after). Monitoring compares it with the age of the last success
// (backupd_plan_period_seconds, deploy/prometheus/alerts.yml). For a cron schedule whose gaps
// differ (weekdays only) it is the gap that follows the next run. nullopt when the stored
// schedule or time zone no longer parses.
std::optional<std::chrono::seconds> plan_period(const PlanSpec& spec, Timestamp next_run_at);

// Enqueues a run of the plan now (plan set, scheduled_for unset): a folder SourceFolders::check
// refuses becomes a failed job with its audit record, as a submitted backup does. nullopt when
// there is no such plan.
std::optional<Job> run_plan_now(const PlanPorts& ports, std::string_view name,
                                const std::optional<std::string>& client_address);

// What the plan's retention decides for every snapshot of its folder now. nullopt when there
// is no such plan.
std::optional<std::vector<RetentionDecision>> preview_prune(const PlanPorts& ports,
                                                            std::string_view name);

// Enqueues a prune job for the plan (kind prune, plan and folder set). nullopt: no such plan.
std::optional<Job> prune_plan(const PlanPorts& ports, std::string_view name,
                              const std::optional<std::string>& client_address);

// Enqueues a prune job that removes one snapshot (kind prune, snapshot_id set). Throws
// core::Error not_found (unknown or already pruned) or snapshot_pinned.
Job delete_snapshot(const PlanPorts& ports, JobId snapshot,
                    const std::optional<std::string>& client_address);

}  // namespace backupd::core
