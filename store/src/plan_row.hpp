#pragma once
// A plan as read from the plans table, with what is derived from its jobs and its folder's
// snapshots (plan_reads.cpp), and the schedule arithmetic its writes share.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/optional.hpp>
#include <soci/soci.h>

#include "backupd/core/plans.hpp"
#include "backupd/core/retention.hpp"
#include "backupd/core/schedule.hpp"
#include "dialect.hpp"
#include "statement.hpp"

// A plan's retention columns, in the order of RetentionColumns::bind_into; `t` is the plans
// table's name or alias. A macro, so that each statement is still one whole string literal.
#define BACKUPD_RETENTION_COLUMNS(t)                                                \
#t ".keep_last, " #t ".keep_hourly, " #t ".keep_daily, " #t ".keep_weekly, " #t \
       ".keep_monthly, " #t ".keep_yearly, " #t ".keep_within"

namespace backupd::store {

// The one reader of a plan's retention columns (plan reads, and the prune a plan's backup asks
// for in job_finish.cpp). NULL is a rule not given.
struct RetentionColumns {
    boost::optional<long long> keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly,
        keep_yearly;
    boost::optional<std::string> keep_within;

    void bind_into(Statement& statement);
    core::Retention to_retention() const;
};

// The plan named `name`, read on `sql` (inside the caller's transaction, if any).
std::optional<core::Plan> select_plan(soci::session& sql, std::string_view name);

// The database's clock, now (SELECT {now}).
core::Timestamp database_now(soci::session& sql, const Dialect& dialect);

// The schedule of a plan's stored or submitted text, or why it does not parse (an unknown
// zone, or Schedule::parse's reason). A spec that passed core::check_plan always parses.
std::variant<core::Schedule, std::string> plan_schedule(const std::string& schedule,
                                                        const std::string& time_zone);

}  // namespace backupd::store
