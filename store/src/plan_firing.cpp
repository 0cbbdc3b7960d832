// SqlPlanStore::fire_due: turning due plans into backup jobs, exactly once per (plan, due time)
// however many daemons share the database.
//
// Each plan fires in its own transaction: a compare-and-set moves its next_run_at from the due
// time read to the first due time after now (so due times missed while no daemon ran collapse
// into one run, scheduled_for the earliest), and the job or the skip record is written in the
// same transaction. A daemon whose compare-and-set finds the due time already moved did not
// fire it and writes nothing. Deadlocks and busy databases are retried by in_transaction. A due
// time that makes no job leaves a Schedule record saying why (core/plans.hpp, fire_due).
#include <exception>
#include <variant>

#include "audit_writer.hpp"
#include "backupd/store/sql_plan_store.hpp"
#include "connection_pool.hpp"
#include "errors.hpp"
#include "job_insert.hpp"
#include "optional_values.hpp"
#include "plan_row.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

// The messages of the Schedule records a due time that makes no job leaves (core/plans.hpp).
constexpr char kSkippedUnfinished[] = "skipped: previous run still running";
constexpr char kSkippedDuplicate[] = "skipped: a run for this due time already exists";
constexpr char kSkippedUnparsable[] = "skipped: the schedule no longer parses: ";

// Walks plans_due (enabled, next_run_at).
constexpr char kSelectDue[] =
    "SELECT name, folder, schedule, time_zone, next_run_at FROM plans "
    "WHERE enabled = 1 AND next_run_at <= :now ORDER BY next_run_at, name LIMIT :limit";

// :next NULL stops a plan whose schedule no longer parses from being due.
constexpr char kAdvance[] =
    "UPDATE plans SET next_run_at = :next WHERE name = :name AND enabled = 1 AND "
    "next_run_at = :due";

// The plan's unfinished run, if any: walks jobs_claim (state, id) over the few unfinished jobs
// (the + keeps SQLite off jobs_plan, every run the plan ever made). Its prunes are not runs.
constexpr char kSelectUnfinishedRun[] =
    "SELECT id FROM jobs WHERE state IN ('queued', 'running') AND +plan = :plan "
    "AND +kind = 'backup' ORDER BY id LIMIT 1";

// The job this due time already made: walks jobs_plan_due (plan, scheduled_for).
constexpr char kSelectRunOfDue[] =
    "SELECT id FROM jobs WHERE plan = :plan AND scheduled_for = :due";

constexpr char kCountSkipped[] =
    "UPDATE plans SET runs_skipped = runs_skipped + 1 WHERE name = :name";

struct DuePlan {
    std::string name;
    std::string folder;
    std::string schedule;
    std::string time_zone;
    std::string next_run_at;
};

std::vector<DuePlan> select_due(soci::session& sql, const std::string& now, std::size_t limit) {
    const long long max_rows = static_cast<long long>(limit);
    DuePlan row;
    Statement statement(sql, kSelectDue);
    statement.into(row.name).into(row.folder).into(row.schedule).into(row.time_zone);
    statement.into(row.next_run_at).use(now, "now").use(max_rows, "limit");
    std::vector<DuePlan> due;
    for (bool more = statement.first(); more; more = statement.next()) due.push_back(row);
    return due;
}

// Moves the plan's next due time from `due` to `next` (NULL: none) by compare-and-set. False:
// another daemon moved it first.
bool advance(soci::session& sql, const DuePlan& plan, const std::string& due,
             const boost::optional<std::string>& next) {
    Statement statement(sql, kAdvance);
    statement.use(next, "next").use(plan.name, "name").use(due, "due");
    // next > now >= due, or NULL, so the row changes (MySQL counts changed rows) whenever it
    // matched.
    return statement.run() == 1;
}

// Records that `fired` made no job, and why; returns it with the reason.
core::FiredRun skip(soci::session& sql, const Dialect& dialect, core::FiredRun fired,
                    std::string reason, std::optional<core::JobId> job) {
    insert_audit_record(sql, dialect,
                        {.action = core::AuditAction::schedule,
                         .status = core::AuditStatus::failed,
                         .folder = fired.folder,
                         .job_id = job,
                         .message = reason,
                         .client_address = std::nullopt,
                         .at = std::nullopt});
    fired.skipped = std::move(reason);
    return fired;
}

std::optional<core::JobId> unfinished_run(soci::session& sql, const std::string& plan) {
    long long id = 0;
    Statement statement(sql, kSelectUnfinishedRun);
    statement.into(id).use(plan, "plan");
    if (!statement.first()) return std::nullopt;
    return id;
}

std::optional<core::JobId> run_of_due(soci::session& sql, const std::string& plan,
                                      const std::string& due) {
    long long id = 0;
    Statement statement(sql, kSelectRunOfDue);
    statement.into(id).use(plan, "plan").use(due, "due");
    if (!statement.first()) return std::nullopt;
    return id;
}

// One due time of one plan, in the caller's transaction. nullopt: another daemon fired it.
std::optional<core::FiredRun> fire(soci::session& sql, const Dialect& dialect, const DuePlan& plan,
                                   core::Timestamp due, core::Timestamp next,
                                   JobCountChanges& counts) {
    const std::string due_text = core::format_db_time(due);
    if (!advance(sql, plan, due_text, core::format_db_time(next))) return std::nullopt;

    core::FiredRun fired{.plan = plan.name, .folder = plan.folder, .scheduled_for = due};
    if (const auto unfinished = unfinished_run(sql, plan.name)) {
        Statement skipped(sql, kCountSkipped);
        skipped.use(plan.name, "name");
        skipped.run();
        return skip(sql, dialect, std::move(fired), kSkippedUnfinished, unfinished);
    }
    try {
        fired.job = insert_job(
            sql, dialect, {.folder = plan.folder, .plan = plan.name, .scheduled_for = due}, counts);
    } catch (const soci::soci_error& e) {
        // The unique key (plan, scheduled_for): this due time already made its job, and only a
        // clock that went back brings a due time round again. It stays fired once; the advanced
        // next_run_at commits with the record, so the plan does not retry it forever. Both
        // backends undo only the failed statement, so the transaction goes on.
        if (classify(e) != Failure::duplicate) throw;
        return skip(sql, dialect, std::move(fired), kSkippedDuplicate,
                    run_of_due(sql, plan.name, due_text));
    }
    return fired;
}

// A due plan whose stored schedule or zone no longer parses (written by another version, or a
// zone tzdata dropped): it is not fired on a guess, and stops being due, so it neither repeats
// its record at every tick nor takes a slot of every batch. nullopt: another daemon did it.
std::optional<core::FiredRun> unschedule(soci::session& sql, const Dialect& dialect,
                                         const DuePlan& plan, const std::string& reason) {
    const core::Timestamp due = db_time(plan.next_run_at);
    if (!advance(sql, plan, plan.next_run_at, boost::none)) return std::nullopt;
    return skip(sql, dialect, {.plan = plan.name, .folder = plan.folder, .scheduled_for = due},
                kSkippedUnparsable + reason, std::nullopt);
}

}  // namespace

std::vector<core::FiredRun> SqlPlanStore::fire_due(std::size_t limit) {
    if (limit == 0) return {};
    const Dialect& dialect = dialect_for(database_.backend());
    // Not a structured binding: clang 14 (clang-tidy) refuses one captured by the lambda below.
    const auto read = in_read(database_.pool(), [&](soci::session& sql) {
        const core::Timestamp now = database_now(sql, dialect);
        return std::pair{now, select_due(sql, core::format_db_time(now), limit)};
    });
    const core::Timestamp now = read.first;
    const auto& due_plans = read.second;

    std::vector<core::FiredRun> fired;
    std::exception_ptr first_error;
    for (const DuePlan& plan : due_plans) {
        try {
            auto schedule = plan_schedule(plan.schedule, plan.time_zone);
            auto run = in_counted_transaction(
                database_.pool(), dialect, [&](soci::session& sql, JobCountChanges& counts) {
                    if (const auto* reason = std::get_if<std::string>(&schedule)) {
                        return unschedule(sql, dialect, plan, *reason);
                    }
                    const auto& parsed = std::get<core::Schedule>(schedule);
                    return fire(sql, dialect, plan, db_time(plan.next_run_at),
                                parsed.next_after(now), counts);
                });
            if (run) fired.push_back(std::move(*run));
        } catch (const core::Error&) {
            // One plan's failure (retries used up) does not hold back the plans behind it.
            if (!first_error) first_error = std::current_exception();
        }
    }
    if (first_error && fired.empty()) std::rethrow_exception(first_error);
    return fired;
}

}  // namespace backupd::store
