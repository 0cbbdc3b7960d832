#include "backupd/core/retention.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "backupd/core/schedule.hpp"

namespace backupd::core {
namespace {

using namespace std::chrono;

// The calendar period a snapshot falls in, as text: "2026-11-24T14", "2026-11-24",
// "2026-W48", "2026-11", "2026".
using Bucketer = std::function<std::string(LocalSeconds)>;

year_month_day local_date(LocalSeconds local) {
    return year_month_day{sys_days{floor<days>(local).time_since_epoch()}};
}

std::string hourly(LocalSeconds local) {
    const auto date = local_date(local);
    const auto hour = floor<hours>(local - floor<days>(local)).count();
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(hour));
    return text;
}

std::string daily(LocalSeconds local) {
    const auto date = local_date(local);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()));
    return text;
}

// ISO 8601 week: weeks start on Monday and belong to the year of their Thursday, so
// 2027-01-01 (a Friday) is in 2026-W53.
std::string weekly(LocalSeconds local) {
    const sys_days day{floor<days>(local).time_since_epoch()};
    const unsigned since_monday = weekday{day}.iso_encoding() - 1;
    const sys_days thursday = day - days{since_monday} + days{3};
    const year week_year = year_month_day{thursday}.year();
    const auto week = (thursday - sys_days{week_year / January / 1}).count() / 7 + 1;
    char text[32];
    std::snprintf(text, sizeof text, "%04d-W%02d", int(week_year), int(week));
    return text;
}

std::string monthly(LocalSeconds local) {
    const auto date = local_date(local);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u", int(date.year()), unsigned(date.month()));
    return text;
}

std::string yearly(LocalSeconds local) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d", int(local_date(local).year()));
    return text;
}

// One calendar rule while walking the snapshots newest first (restic's bucket): a snapshot
// whose period differs from the last one kept by this rule is kept, until `left` is used up.
struct Bucket {
    const char* rule;
    Bucketer period;
    std::int64_t left = 0;
    std::optional<std::string> last;
};

bool by_newest(const RetentionCandidate& a, const RetentionCandidate& b) {
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return a.id > b.id;
}

}  // namespace

bool Retention::keeps_everything() const {
    // A count of 0 is no rule (restic's meaning): {"keep_daily": 0} alone must not delete.
    const auto rule = [](const std::optional<std::int64_t>& count) { return count && *count > 0; };
    return !rule(keep_last) && !rule(keep_hourly) && !rule(keep_daily) && !rule(keep_weekly) &&
           !rule(keep_monthly) && !rule(keep_yearly) && !keep_within;
}

std::vector<RetentionDecision> apply_retention(std::vector<RetentionCandidate> candidates,
                                               const Retention& retention, const TimeZone& zone) {
    std::sort(candidates.begin(), candidates.end(), by_newest);
    std::vector<RetentionDecision> out;
    if (candidates.empty()) return out;

    std::vector<Bucket> buckets;
    const auto add_bucket = [&](const char* rule, Bucketer period,
                                const std::optional<std::int64_t>& count) {
        if (count) buckets.push_back({rule, std::move(period), std::max<std::int64_t>(*count, 0)});
    };
    add_bucket("hourly", hourly, retention.keep_hourly);
    add_bucket("daily", daily, retention.keep_daily);
    add_bucket("weekly", weekly, retention.keep_weekly);
    add_bucket("monthly", monthly, retention.keep_monthly);
    add_bucket("yearly", yearly, retention.keep_yearly);

    // keep_within counts back from the newest snapshot, and (as restic) keeps those created
    // strictly after newest - D. A duration that does not parse (check_plan refuses those)
    // keeps everything: a rule this code cannot read must never delete.
    std::optional<Timestamp> within_after;
    bool within_keeps_all = false;
    if (retention.keep_within) {
        if (const auto duration = parse_duration(*retention.keep_within)) {
            within_after = candidates.front().created_at - *duration;
        } else {
            within_keeps_all = true;
        }
    }

    std::int64_t last_left =
        retention.keep_last ? std::max<std::int64_t>(*retention.keep_last, 0) : 0;
    const bool no_rules = retention.keeps_everything();

    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const RetentionCandidate& c = candidates[i];
        std::vector<std::string> reasons;
        if (i == 0) reasons.emplace_back("newest");
        if (c.pinned) reasons.emplace_back("pinned");
        if (c.in_use) reasons.emplace_back("in use");
        if (last_left > 0) {
            --last_left;
            reasons.push_back("last " + std::to_string(*retention.keep_last));
        }
        if (!buckets.empty()) {
            const LocalSeconds local = zone.to_local(c.created_at);
            for (Bucket& bucket : buckets) {
                if (bucket.left <= 0) continue;
                std::string period = bucket.period(local);
                if (period == bucket.last) continue;
                reasons.push_back(std::string(bucket.rule) + " " + period);
                bucket.last = std::move(period);
                --bucket.left;
            }
        }
        if (retention.keep_within &&
            (within_keeps_all || (within_after && c.created_at > *within_after))) {
            reasons.push_back("within " + *retention.keep_within);
        }
        if (no_rules) reasons.emplace_back("no retention rules");
        const bool keep = !reasons.empty();
        out.push_back({c.id, c.name, keep, std::move(reasons)});
    }
    return out;
}

}  // namespace backupd::core
