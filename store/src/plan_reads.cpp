// SqlPlanStore's reads: one plan or all, each with what its jobs and its folder's snapshots say
// about it, in one statement (no query per plan). Also the database clock and the schedule
// arithmetic the writes and the firing share.
#include <variant>

#include "backupd/store/sql_plan_store.hpp"
#include "connection_pool.hpp"
#include "optional_values.hpp"
#include "plan_row.hpp"
#include "snapshot_row.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

constexpr char kNow[] = "SELECT {now}";

// A plan's columns, then:
// - its last run: its newest backup (fired or run by hand; its prunes are not runs), through
//   jobs_plan (plan, id);
// - its last success: its newest succeeded backup, the same way;
// - its snapshots: the whole snapshots of its folder, through jobs_folder (folder_key, id).
// The unary + keeps SQLite, which has no statistics, on those indexes rather than jobs_kind or
// jobs_claim (every backup, every succeeded job); MariaDB ignores it.
#define BACKUPD_SELECT_PLANS \
    "SELECT p.name, p.folder, p.schedule, p.time_zone, " BACKUPD_RETENTION_COLUMNS(p)              \
    ", p.enabled, "                                                                                \
    "p.created_at, p.updated_at, p.next_run_at, p.runs_skipped, "                                  \
    "lr.id, lr.state, lr.finished_at, lr.submitted_at, ls.finished_at, "                           \
    "(SELECT COUNT(*) FROM jobs s WHERE s.folder_key = p.folder_key AND s.folder = p.folder "      \
    "AND " BACKUPD_IS_FOLDER_SNAPSHOT(s) ") "                                                      \
    "FROM plans p "                                                                                \
    "LEFT JOIN jobs lr ON lr.id = (SELECT r.id FROM jobs r WHERE r.plan = p.name "                 \
    "AND +r.kind = 'backup' ORDER BY r.id DESC LIMIT 1) "                                          \
    "LEFT JOIN jobs ls ON ls.id = (SELECT r.id FROM jobs r WHERE r.plan = p.name "                 \
    "AND +r.kind = 'backup' AND +r.state = 'succeeded' ORDER BY r.id DESC LIMIT 1)"

constexpr char kSelectPlan[] = BACKUPD_SELECT_PLANS " WHERE p.name = :name";
constexpr char kSelectPlans[] = BACKUPD_SELECT_PLANS " ORDER BY p.name";

#undef BACKUPD_SELECT_PLANS

// The columns of BACKUPD_SELECT_PLANS, in order.
struct PlanRow {
    std::string name;
    std::string folder;
    std::string schedule;
    std::string time_zone;
    RetentionColumns retention;
    int enabled = 0;
    std::string created_at;
    std::string updated_at;
    boost::optional<std::string> next_run_at;
    long long runs_skipped = 0;
    boost::optional<long long> last_id;
    boost::optional<std::string> last_state;
    boost::optional<std::string> last_finished_at;
    boost::optional<std::string> last_submitted_at;
    boost::optional<std::string> last_success_at;
    long long snapshots = 0;

    void bind_into(Statement& statement) {
        statement.into(name).into(folder).into(schedule).into(time_zone);
        retention.bind_into(statement);
        statement.into(enabled);
        statement.into(created_at).into(updated_at).into(next_run_at).into(runs_skipped);
        statement.into(last_id).into(last_state).into(last_finished_at).into(last_submitted_at);
        statement.into(last_success_at).into(snapshots);
    }

    core::Plan to_plan() const {
        core::Plan plan;
        plan.spec.name = name;
        plan.spec.folder = folder;
        plan.spec.schedule = schedule;
        plan.spec.time_zone = time_zone;
        plan.spec.retention = retention.to_retention();
        plan.spec.enabled = enabled != 0;
        plan.created_at = db_time(created_at);
        plan.updated_at = db_time(updated_at);
        plan.next_run_at = optional_db_time(next_run_at);
        if (last_id && last_state) {
            const auto state = core::parse_job_state(*last_state);
            if (!state) {
                throw core::Error(
                    core::ErrorCode::internal_error, "database error",
                    "job " + std::to_string(*last_id) + " has unknown state '" + *last_state + "'");
            }
            const auto& at = last_finished_at ? last_finished_at : last_submitted_at;
            plan.last_run = core::PlanRun{*last_id, *state, db_time(at.value_or(""))};
        }
        plan.last_success_at = optional_db_time(last_success_at);
        plan.snapshots = snapshots;
        plan.runs_skipped = runs_skipped;
        return plan;
    }
};

}  // namespace

void RetentionColumns::bind_into(Statement& statement) {
    statement.into(keep_last).into(keep_hourly).into(keep_daily).into(keep_weekly);
    statement.into(keep_monthly).into(keep_yearly).into(keep_within);
}

core::Retention RetentionColumns::to_retention() const {
    return {to_std(keep_last),    to_std(keep_hourly), to_std(keep_daily), to_std(keep_weekly),
            to_std(keep_monthly), to_std(keep_yearly), to_std(keep_within)};
}

std::optional<core::Plan> select_plan(soci::session& sql, std::string_view name) {
    const std::string key(name);
    PlanRow row;
    Statement statement(sql, kSelectPlan);
    row.bind_into(statement);
    statement.use(key, "name");
    if (!statement.first()) return std::nullopt;
    return row.to_plan();
}

core::Timestamp database_now(soci::session& sql, const Dialect& dialect) {
    std::string now;
    Statement statement(sql, rendered<kNow>(dialect));
    statement.into(now);
    statement.first();
    return db_time(now);
}

std::variant<core::Schedule, std::string> plan_schedule(const std::string& schedule,
                                                        const std::string& time_zone) {
    const auto zone = core::TimeZone::find(time_zone);
    if (!zone) return "unknown time zone '" + time_zone + "'";
    return core::Schedule::parse(schedule, *zone);
}

std::optional<core::Plan> SqlPlanStore::find(std::string_view name) {
    return in_read(database_.pool(), [&](soci::session& sql) { return select_plan(sql, name); });
}

std::vector<core::Plan> SqlPlanStore::list() {
    return in_read(database_.pool(), [](soci::session& sql) {
        PlanRow row;
        Statement statement(sql, kSelectPlans);
        row.bind_into(statement);
        std::vector<core::Plan> plans;
        for (bool more = statement.first(); more; more = statement.next()) {
            plans.push_back(row.to_plan());
        }
        return plans;
    });
}

}  // namespace backupd::store
