// SqlPlanStore's writes: create, replace and remove a plan. The next due time is computed here,
// from the database's clock read in the same transaction, so every daemon agrees on it.
#include <variant>

#include "backupd/core/error.hpp"
#include "backupd/store/sql_plan_store.hpp"
#include "column_text.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "optional_values.hpp"
#include "plan_row.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

constexpr char kInsertPlan[] =
    "INSERT INTO plans (name, folder, folder_key, schedule, time_zone, keep_last, keep_hourly, "
    "keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within, enabled, created_at, "
    "updated_at, next_run_at) VALUES (:name, :folder, :folder_key, :schedule, :time_zone, "
    ":keep_last, :keep_hourly, :keep_daily, :keep_weekly, :keep_monthly, :keep_yearly, "
    ":keep_within, :enabled, :created_at, :updated_at, :next_run_at)";

// created_at and runs_skipped stay: it is the same plan, edited. So does next_run_at when the
// plan was and stays enabled with the same schedule and zone: a due time that came but was not
// fired yet is kept rather than skipped (an edit of the retention at 03:00:00.1 must not lose
// the 03:00 run). next_run_at is assigned first: MySQL evaluates a single-table UPDATE's
// assignments left to right, each seeing the ones before, and the CASE must see the old row.
constexpr char kReplacePlan[] =
    "UPDATE plans SET next_run_at = CASE WHEN enabled = 1 AND :stays_enabled = 1 "
    "AND next_run_at IS NOT NULL AND schedule = :same_schedule AND time_zone = :same_time_zone "
    "THEN next_run_at ELSE :next_run_at END, "
    "folder = :folder, folder_key = :folder_key, schedule = :schedule, "
    "time_zone = :time_zone, keep_last = :keep_last, keep_hourly = :keep_hourly, "
    "keep_daily = :keep_daily, keep_weekly = :keep_weekly, keep_monthly = :keep_monthly, "
    "keep_yearly = :keep_yearly, keep_within = :keep_within, enabled = :enabled, "
    "updated_at = :updated_at WHERE name = :name";

constexpr char kDeletePlan[] = "DELETE FROM plans WHERE name = :name";

// Column sizes in characters, as in schema/*/0004_plans.sql. The spec was checked
// (core::check_plan: schedules of at most 200 characters, keep_within of at most
// kMaxWithinChars), so fitting never changes a valid value.
constexpr std::size_t kScheduleChars = 255;
constexpr std::size_t kKeepWithinChars = core::Retention::kMaxWithinChars;

// A spec's columns as bound values, with its next due time after `now` (NULL while disabled).
// `now` is also the time of the write: one reading of the database clock for both.
struct PlanValues {
    std::string name;
    std::string folder;
    std::string key;
    std::string schedule;
    std::string time_zone;
    boost::optional<long long> keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly,
        keep_yearly;
    boost::optional<std::string> keep_within;
    int enabled;
    boost::optional<std::string> next_run_at;
    std::string written_at;

    PlanValues(const core::PlanSpec& spec, core::Timestamp now)
        : name(column_text(spec.name, kShortTextChars)),
          folder(column_text(spec.folder, kFolderChars)),
          key(folder_key(spec.folder)),
          schedule(column_text(spec.schedule, kScheduleChars)),
          time_zone(column_text(spec.time_zone, kShortTextChars)),
          keep_last(to_boost<long long>(spec.retention.keep_last)),
          keep_hourly(to_boost<long long>(spec.retention.keep_hourly)),
          keep_daily(to_boost<long long>(spec.retention.keep_daily)),
          keep_weekly(to_boost<long long>(spec.retention.keep_weekly)),
          keep_monthly(to_boost<long long>(spec.retention.keep_monthly)),
          keep_yearly(to_boost<long long>(spec.retention.keep_yearly)),
          keep_within(to_boost<std::string>(
              optional_column_text(spec.retention.keep_within, kKeepWithinChars))),
          enabled(spec.enabled ? 1 : 0),
          written_at(core::format_db_time(now)) {
        const auto parsed = plan_schedule(spec.schedule, spec.time_zone);
        if (const auto* reason = std::get_if<std::string>(&parsed)) {
            throw core::Error(core::ErrorCode::invalid_request,
                              "plan " + spec.name + ": schedule '" + spec.schedule +
                                  "' in time zone '" + spec.time_zone +
                                  "' is not valid: " + *reason);
        }
        if (spec.enabled) {
            next_run_at = core::format_db_time(std::get<core::Schedule>(parsed).next_after(now));
        }
    }

    void bind(Statement& statement) const {
        statement.use(name, "name").use(folder, "folder").use(key, "folder_key");
        statement.use(schedule, "schedule").use(time_zone, "time_zone");
        statement.use(keep_last, "keep_last").use(keep_hourly, "keep_hourly");
        statement.use(keep_daily, "keep_daily").use(keep_weekly, "keep_weekly");
        statement.use(keep_monthly, "keep_monthly").use(keep_yearly, "keep_yearly");
        statement.use(keep_within, "keep_within").use(enabled, "enabled");
        statement.use(next_run_at, "next_run_at").use(written_at, "updated_at");
    }
};

core::Plan load_plan(soci::session& sql, std::string_view name) {
    auto plan = select_plan(sql, name);
    if (!plan) {
        throw core::Error(core::ErrorCode::internal_error, "database error",
                          "plan " + std::string(name) + " vanished inside its transaction");
    }
    return std::move(*plan);
}

}  // namespace

core::Plan SqlPlanStore::create(const core::PlanSpec& spec) {
    const Dialect& dialect = dialect_for(database_.backend());
    try {
        return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
            const PlanValues values(spec, database_now(sql, dialect));
            Statement statement(sql, kInsertPlan);
            values.bind(statement);
            statement.use(values.written_at, "created_at");
            statement.run();
            return load_plan(sql, values.name);
        });
    } catch (const core::Error& e) {
        // The only unique key of plans is its name (both backends report the clash as conflict).
        if (e.code() != core::ErrorCode::conflict) throw;
        throw core::Error(core::ErrorCode::plan_exists, "plan " + spec.name + " already exists",
                          e.detail());
    }
}

std::optional<core::Plan> SqlPlanStore::replace(const core::PlanSpec& spec) {
    const Dialect& dialect = dialect_for(database_.backend());
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        const PlanValues values(spec, database_now(sql, dialect));
        Statement statement(sql, kReplacePlan);
        values.bind(statement);
        statement.use(values.enabled, "stays_enabled").use(values.schedule, "same_schedule");
        statement.use(values.time_zone, "same_time_zone");
        statement.run();
        // Read back rather than trusting the row count: MySQL counts changed rows only.
        return select_plan(sql, values.name);
    });
}

bool SqlPlanStore::remove(std::string_view name) {
    const Dialect& dialect = dialect_for(database_.backend());
    const std::string key(name);
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(sql, kDeletePlan);
        statement.use(key, "name");
        return statement.run() == 1;
    });
}

}  // namespace backupd::store
