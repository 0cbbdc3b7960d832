#pragma once
// The JSON of plans and of a prune preview (the issue 11 shapes; the rest of the codec is
// json.hpp and snapshot_json.hpp). Text from the database or the client is written as valid
// UTF-8.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/core/plans.hpp"

namespace backupd::api {

// {"name", "folder", "schedule", "time_zone", "retention": {only the rules set}, "enabled",
//  "created_at", "updated_at", "next_run_at" | null, "last_run": {"job_id", "state", "at"} | null,
//  "last_success_at" | null, "snapshots", "runs_skipped"}
std::string plan_json(const core::Plan& plan);
// {"plans": [...]} in the order given (the store lists them by name).
std::string plan_list_json(const std::vector<core::Plan>& plans);
// {"plan", "folder", "snapshots": [{"id", "name", "keep", "reasons": [...]}...]}
std::string prune_preview_json(const core::Plan& plan,
                               const std::vector<core::RetentionDecision>& decisions);

// POST /api/v1/plans and PUT /api/v1/plans/{name}: {"name", "folder", "schedule", "time_zone"?,
// "retention"?: {"keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly",
// "keep_yearly", "keep_within"}, "enabled"?}. Only the JSON is checked here (known fields, their
// types, counts whole and >= 0); what the values mean is core::check_plan's.
struct ParsedPlanRequest {
    core::PlanSpec spec;    // spec.name is empty when the body gives none
    bool has_name = false;  // whether the body gives "name"
    std::string error;      // empty when the body is acceptable
    bool ok() const { return error.empty(); }
};
ParsedPlanRequest parse_plan_request(std::string_view body);

}  // namespace backupd::api
