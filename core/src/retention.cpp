#include "backupd/core/retention.hpp"

namespace backupd::core {

bool Retention::keeps_everything() const {
    return !keep_last && !keep_hourly && !keep_daily && !keep_weekly && !keep_monthly &&
           !keep_yearly && !keep_within;
}

// TEMP: apply_retention is written by the retention helper.
std::vector<RetentionDecision> apply_retention(std::vector<RetentionCandidate> candidates,
                                               const Retention& /*retention*/,
                                               const TimeZone& /*zone*/) {
    std::vector<RetentionDecision> out;
    for (auto& c : candidates) out.push_back({c.id, c.name, true, {"no retention rules"}});
    return out;
}

}  // namespace backupd::core
