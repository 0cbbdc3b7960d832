// SqlPlanStore::fire_due: turning due plans into backup jobs, exactly once per (plan, due time)
// however many daemons share the database.
//
// Each plan fires in its own transaction: a compare-and-set moves its next_run_at from the due
// time read to the first due time after now (so due times missed while no daemon ran collapse
// into one run, scheduled_for the earliest), and the job or the skip record is written in the
// same transaction. A daemon whose compare-and-set finds the due time already moved did not
// fire it and writes nothing. Deadlocks and busy databases are retried by in_transaction.
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

constexpr char kSkippedMessage[] = "skipped: previous run still running";

// Walks plans_due (enabled, next_run_at).
constexpr char kSelectDue[] =
    "SELECT name, folder, schedule, time_zone, next_run_at FROM plans "
    "WHERE enabled = 1 AND next_run_at <= :now ORDER BY next_run_at, name LIMIT :limit";

constexpr char kAdvance[] =
    "UPDATE plans SET next_run_at = :next WHERE name = :name AND enabled = 1 AND "
    "next_run_at = :due";

// The plan's unfinished run, if any: walks jobs_claim (state, id) over the few unfinished jobs
// (the + keeps SQLite off jobs_plan, every run the plan ever made). Its prunes are not runs.
constexpr char kSelectUnfinishedRun[] =
    "SELECT id FROM jobs WHERE state IN ('queued', 'running') AND +plan = :plan "
    "AND +kind = 'backup' ORDER BY id LIMIT 1";

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

// One due time of one plan, in the caller's transaction. nullopt: another daemon fired it.
std::optional<core::FiredRun> fire(soci::session& sql, const Dialect& dialect, const DuePlan& plan,
                                   core::Timestamp due, core::Timestamp next) {
    const std::string due_text = core::format_db_time(due);
    const std::string next_text = core::format_db_time(next);
    Statement advance(sql, kAdvance);
    advance.use(next_text, "next").use(plan.name, "name").use(due_text, "due");
    // next > now >= due, so the row changes (MySQL counts changed rows) whenever it matched.
    if (advance.run() != 1) return std::nullopt;

    core::FiredRun fired{.plan = plan.name, .folder = plan.folder, .scheduled_for = due};
    long long unfinished = 0;
    Statement running(sql, kSelectUnfinishedRun);
    running.into(unfinished).use(plan.name, "plan");
    if (running.first()) {
        insert_audit_record(sql, dialect,
                            {.action = core::AuditAction::schedule,
                             .status = core::AuditStatus::failed,
                             .folder = plan.folder,
                             .job_id = unfinished,
                             .message = kSkippedMessage,
                             .client_address = std::nullopt,
                             .at = std::nullopt});
        Statement skipped(sql, kCountSkipped);
        skipped.use(plan.name, "name");
        skipped.run();
        return fired;
    }
    try {
        fired.job = insert_job(sql, dialect,
                               {.folder = plan.folder, .plan = plan.name, .scheduled_for = due});
    } catch (const soci::soci_error& e) {
        // The unique key (plan, scheduled_for) says this due time already made its job: only a
        // clock that went back can bring a due time round again. It stays fired once; the
        // advanced next_run_at commits, so the plan does not retry it forever.
        if (classify(e) != Failure::duplicate) throw;
        return std::nullopt;
    }
    return fired;
}

}  // namespace

std::vector<core::FiredRun> SqlPlanStore::fire_due(std::size_t limit) {
    if (limit == 0) return {};
    const Dialect& dialect = dialect_for(database_.backend());
    const auto [now, due_plans] = in_read(database_.pool(), [&](soci::session& sql) {
        const core::Timestamp now = database_now(sql, dialect);
        return std::pair{now, select_due(sql, core::format_db_time(now), limit)};
    });

    std::vector<core::FiredRun> fired;
    for (const DuePlan& plan : due_plans) {
        // A stored schedule always parsed when it was written; one this binary reads otherwise
        // (written by another version) is left alone rather than fired on a guess.
        const auto schedule = plan_schedule(plan.schedule, plan.time_zone);
        if (!schedule) continue;
        const core::Timestamp due = db_time(plan.next_run_at);
        const core::Timestamp next = schedule->next_after(now);
        auto run = in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
            return fire(sql, dialect, plan, due, next);
        });
        if (run) fired.push_back(std::move(*run));
    }
    return fired;
}

}  // namespace backupd::store
