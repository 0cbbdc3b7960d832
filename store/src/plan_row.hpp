#pragma once
// A plan as read from the plans table, with what is derived from its jobs and its folder's
// snapshots (plan_reads.cpp), and the schedule arithmetic its writes share.

#include <optional>
#include <string>
#include <string_view>

#include <soci/soci.h>

#include "backupd/core/plans.hpp"
#include "backupd/core/schedule.hpp"
#include "dialect.hpp"

namespace backupd::store {

// The plan named `name`, read on `sql` (inside the caller's transaction, if any).
std::optional<core::Plan> select_plan(soci::session& sql, std::string_view name);

// The database's clock, now (SELECT {now}).
core::Timestamp database_now(soci::session& sql, const Dialect& dialect);

// The schedule of a plan's stored or submitted text; nullopt when the text does not parse or
// the zone is unknown (a spec that passed core::check_plan always parses).
std::optional<core::Schedule> plan_schedule(const std::string& schedule,
                                            const std::string& time_zone);

}  // namespace backupd::store
