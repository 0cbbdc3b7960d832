#include "backupd/core/retention.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "backupd/core/schedule.hpp"
#include "printing.hpp"

using namespace backupd::core;
using namespace std::chrono;

namespace {

Timestamp at(int y, unsigned m, unsigned d, int hh = 12, int mm = 0) {
    return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm};
}

RetentionCandidate snap(JobId id, Timestamp created_at) {
    return {id, "s" + std::to_string(id), created_at, false, false};
}

TimeZone zone(const char* name) {
    return TimeZone::find(name).value();
}

// One line per decision, newest first: "<id> reason, reason" when kept, "<id> -" when removed.
std::vector<std::string> summary(const std::vector<RetentionDecision>& decisions) {
    std::vector<std::string> out;
    for (const auto& d : decisions) {
        std::string line = std::to_string(d.id);
        if (!d.keep) {
            line += " -";
            BOOST_TEST(d.reasons.empty());
        }
        std::string separator = " ";
        for (const auto& reason : d.reasons) {
            line += separator + reason;
            separator = ", ";
        }
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> decide(std::vector<RetentionCandidate> candidates,
                                const Retention& retention, const TimeZone& tz = TimeZone{}) {
    return summary(apply_retention(std::move(candidates), retention, tz));
}

// Five daily snapshots, 2026-11-20 (id 5) back to 2026-11-16 (id 1), given oldest first.
std::vector<RetentionCandidate> five_days() {
    std::vector<RetentionCandidate> out;
    for (int i = 1; i <= 5; ++i) out.push_back(snap(i, at(2026, 11, 15 + unsigned(i))));
    return out;
}

using Lines = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(retention)

BOOST_AUTO_TEST_CASE(no_rules_keep_everything) {
    const Retention none;
    BOOST_TEST(none.keeps_everything());
    BOOST_TEST(decide(five_days(), none) ==
                   (Lines{"5 newest, no retention rules", "4 no retention rules",
                          "3 no retention rules", "2 no retention rules", "1 no retention rules"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(no_candidates_no_decisions) {
    Retention r;
    r.keep_last = 2;
    BOOST_TEST(apply_retention({}, r, TimeZone{}).empty());
}

BOOST_AUTO_TEST_CASE(keep_last_keeps_the_n_newest_whatever_the_input_order) {
    Retention r;
    r.keep_last = 3;
    BOOST_TEST(!r.keeps_everything());
    auto candidates = five_days();
    std::reverse(candidates.begin(), candidates.end());
    std::swap(candidates[1], candidates[3]);
    BOOST_TEST(
        decide(candidates, r) == (Lines{"5 newest, last 3", "4 last 3", "3 last 3", "2 -", "1 -"}),
        boost::test_tools::per_element());
    const auto decisions = apply_retention(candidates, r, TimeZone{});
    BOOST_TEST(decisions[0].name == "s5");
    BOOST_TEST(!decisions[4].keep);
}

// restic's meaning: 0 is no rule, so counts of 0 alone keep everything (the issue's own example
// sends "keep_hourly": 0); beside a real rule, a 0 keeps nothing by itself.
BOOST_AUTO_TEST_CASE(a_count_of_zero_is_no_rule) {
    for (auto field :
         {&Retention::keep_last, &Retention::keep_hourly, &Retention::keep_daily,
          &Retention::keep_weekly, &Retention::keep_monthly, &Retention::keep_yearly}) {
        Retention alone;
        alone.*field = 0;
        BOOST_TEST(alone.keeps_everything());
        BOOST_TEST(
            decide(five_days(), alone) ==
                (Lines{"5 newest, no retention rules", "4 no retention rules",
                       "3 no retention rules", "2 no retention rules", "1 no retention rules"}),
            boost::test_tools::per_element());
        Retention beside;
        beside.*field = 0;
        if (field != &Retention::keep_last) beside.keep_last = 2;
        if (field == &Retention::keep_last) beside.keep_daily = 2;
        BOOST_TEST(!beside.keeps_everything());
        const auto kept = apply_retention(five_days(), beside, TimeZone{});
        BOOST_TEST(std::count_if(kept.begin(), kept.end(), [](const auto& d) { return d.keep; }) ==
                   2);
    }
}

BOOST_AUTO_TEST_CASE(ties_on_created_at_order_by_id_larger_first) {
    Retention r;
    r.keep_last = 1;
    const Timestamp same = at(2026, 11, 24);
    BOOST_TEST(decide({snap(7, same), snap(8, same), snap(3, same - hours{1})}, r) ==
                   (Lines{"8 newest, last 1", "7 -", "3 -"}),
               boost::test_tools::per_element());
    Retention daily;
    daily.keep_daily = 5;
    BOOST_TEST(decide({snap(7, same), snap(8, same)}, daily) ==
                   (Lines{"8 newest, daily 2026-11-24", "7 -"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(daily_keeps_the_newest_of_each_day_and_days_without_snapshots_do_not_count) {
    Retention r;
    r.keep_daily = 3;
    const std::vector<RetentionCandidate> candidates{
        snap(1, at(2026, 11, 10, 9)), snap(2, at(2026, 11, 14, 8)), snap(3, at(2026, 11, 14, 20)),
        snap(4, at(2026, 11, 18, 1)), snap(5, at(2026, 11, 20, 6)), snap(6, at(2026, 11, 20, 7))};
    BOOST_TEST(
        decide(candidates, r) == (Lines{"6 newest, daily 2026-11-20", "5 -", "4 daily 2026-11-18",
                                        "3 daily 2026-11-14", "2 -", "1 -"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hourly_buckets_are_local_hours) {
    Retention r;
    r.keep_hourly = 2;
    const std::vector<RetentionCandidate> candidates{
        snap(1, at(2026, 11, 24, 12, 10)), snap(2, at(2026, 11, 24, 14, 5)),
        snap(3, at(2026, 11, 24, 14, 50)), snap(4, at(2026, 11, 24, 15, 0))};
    BOOST_TEST(decide(candidates, r) == (Lines{"4 newest, hourly 2026-11-24T15",
                                               "3 hourly 2026-11-24T14", "2 -", "1 -"}),
               boost::test_tools::per_element());
    // Paris is UTC+1 in November.
    BOOST_TEST(
        decide(candidates, r, zone("Europe/Paris")) ==
            (Lines{"4 newest, hourly 2026-11-24T16", "3 hourly 2026-11-24T15", "2 -", "1 -"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(weekly_buckets_are_iso_weeks) {
    Retention r;
    r.keep_weekly = 3;
    // 2026-11-23 is a Monday (W48), 2026-11-22 a Sunday (W47).
    const std::vector<RetentionCandidate> candidates{
        snap(1, at(2026, 11, 9)), snap(2, at(2026, 11, 16)), snap(3, at(2026, 11, 22, 23)),
        snap(4, at(2026, 11, 23, 0)), snap(5, at(2026, 11, 25))};
    BOOST_TEST(decide(candidates, r) == (Lines{"5 newest, weekly 2026-W48", "4 -",
                                               "3 weekly 2026-W47", "2 -", "1 weekly 2026-W46"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(iso_week_years_at_the_turn_of_the_year) {
    Retention r;
    r.keep_weekly = 10;
    // 2027-01-01 (Friday) is still in 2026's week 53, as is 2026-12-31 (Thursday);
    // 2025-12-29 (Monday) is already 2026-W01.
    BOOST_TEST(decide({snap(1, at(2025, 12, 28)), snap(2, at(2025, 12, 29)),
                       snap(3, at(2026, 12, 31)), snap(4, at(2027, 1, 1)), snap(5, at(2027, 1, 4))},
                      r) == (Lines{"5 newest, weekly 2027-W01", "4 weekly 2026-W53", "3 -",
                                   "2 weekly 2026-W01", "1 weekly 2025-W52"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(monthly_and_yearly) {
    const std::vector<RetentionCandidate> candidates{
        snap(1, at(2024, 6, 1)),  snap(2, at(2025, 3, 1)),   snap(3, at(2025, 12, 31)),
        snap(4, at(2026, 10, 3)), snap(5, at(2026, 10, 30)), snap(6, at(2026, 11, 2))};
    Retention monthly;
    monthly.keep_monthly = 3;
    BOOST_TEST(
        decide(candidates, monthly) == (Lines{"6 newest, monthly 2026-11", "5 monthly 2026-10",
                                              "4 -", "3 monthly 2025-12", "2 -", "1 -"}),
        boost::test_tools::per_element());
    Retention yearly;
    yearly.keep_yearly = 2;
    BOOST_TEST(decide(candidates, yearly) ==
                   (Lines{"6 newest, yearly 2026", "5 -", "4 -", "3 yearly 2025", "2 -", "1 -"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(buckets_follow_the_plan_time_zone) {
    Retention r;
    r.keep_daily = 2;
    // 23:30 UTC on the 24th is 00:30 on the 25th in Paris.
    const std::vector<RetentionCandidate> candidates{snap(1, at(2026, 11, 24, 22, 30)),
                                                     snap(2, at(2026, 11, 24, 23, 30))};
    BOOST_TEST(decide(candidates, r) == (Lines{"2 newest, daily 2026-11-24", "1 -"}),
               boost::test_tools::per_element());
    BOOST_TEST(decide(candidates, r, zone("Europe/Paris")) ==
                   (Lines{"2 newest, daily 2026-11-25", "1 daily 2026-11-24"}),
               boost::test_tools::per_element());
    // New Year in Paris: the year and the ISO week both turn an hour before UTC does.
    Retention yearly;
    yearly.keep_yearly = 5;
    BOOST_TEST(decide({snap(3, at(2026, 12, 31, 23, 30))}, yearly, zone("Europe/Paris")) ==
                   (Lines{"3 newest, yearly 2027"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(keep_within_counts_back_from_the_newest_snapshot_not_from_now) {
    Retention r;
    r.keep_within = "172800s";  // 48 hours
    const Timestamp newest = at(2020, 1, 10);
    const std::vector<RetentionCandidate> candidates{
        snap(1, newest - hours{72}), snap(2, newest - hours{48}),
        snap(3, newest - hours{48} + microseconds{1}), snap(4, newest - hours{1}), snap(5, newest)};
    // As restic: strictly after newest - D, so the one exactly 48 h older goes.
    BOOST_TEST(decide(candidates, r) == (Lines{"5 newest, within 172800s", "4 within 172800s",
                                               "3 within 172800s", "2 -", "1 -"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(keep_within_reason_is_the_text_as_given) {
    // "48h" needs the full parse_duration (the schedule helper's); the stub knows only "<n>s".
    if (!parse_duration("48h")) return;
    Retention r;
    r.keep_within = "48h";
    const Timestamp newest = at(2020, 1, 10);
    BOOST_TEST(decide({snap(1, newest - hours{49}), snap(2, newest - hours{47}), snap(3, newest)},
                      r) == (Lines{"3 newest, within 48h", "2 within 48h", "1 -"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(pinned_in_use_and_newest_are_always_kept) {
    Retention r;
    r.keep_last = 1;
    auto candidates = five_days();
    candidates[0].pinned = true;                         // id 1
    candidates[2].in_use = true;                         // id 3
    candidates[4].pinned = candidates[4].in_use = true;  // id 5, the newest
    BOOST_TEST(decide(candidates, r) == (Lines{"5 newest, pinned, in use, last 1", "4 -",
                                               "3 in use", "2 -", "1 pinned"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rules_combine_and_list_every_reason_in_order) {
    Retention r;
    r.keep_last = 2;
    r.keep_daily = 3;
    r.keep_weekly = 1;
    r.keep_monthly = 2;
    r.keep_yearly = 1;
    r.keep_within = "3600s";
    const std::vector<RetentionCandidate> candidates{
        snap(1, at(2026, 9, 15)),          snap(2, at(2026, 10, 20)),
        snap(3, at(2026, 10, 28)),         snap(4, at(2026, 11, 23, 8)),
        snap(5, at(2026, 11, 24, 9)),      snap(6, at(2026, 11, 24, 10)),
        snap(7, at(2026, 11, 24, 10, 30)), snap(8, at(2026, 11, 25, 10))};
    BOOST_TEST(decide(candidates, r) ==
                   (Lines{"8 newest, last 2, daily 2026-11-25, weekly 2026-W48, monthly 2026-11, "
                          "yearly 2026, within 3600s",
                          "7 last 2, daily 2026-11-24", "6 -", "5 -", "4 daily 2026-11-23",
                          "3 monthly 2026-10", "2 -", "1 -"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
