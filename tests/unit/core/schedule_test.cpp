#include "backupd/core/schedule.hpp"

#include <random>

#include <boost/test/unit_test.hpp>

#include "printing.hpp"

using namespace backupd::core;
using namespace std::chrono;

namespace {

Timestamp utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0, long us = 0) {
    return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm} +
           seconds{ss} + microseconds{us};
}

TimeZone zone(std::string_view name) {
    const auto found = TimeZone::find(name);
    BOOST_REQUIRE_MESSAGE(found.has_value(), "no time zone " << name);
    return *found;
}

Schedule parsed(std::string_view text, const TimeZone& in = TimeZone{}) {
    auto result = Schedule::parse(text, in);
    if (const auto* message = std::get_if<std::string>(&result)) {
        BOOST_FAIL("refused '" << text << "': " << *message);
    }
    return std::get<Schedule>(std::move(result));
}

// The message parse gives, or "accepted".
std::string refusal(std::string_view text) {
    const auto result = Schedule::parse(text, TimeZone{});
    if (const auto* message = std::get_if<std::string>(&result)) return *message;
    return "accepted";
}

// The first `n` due times after `after`.
std::vector<Timestamp> due_times(const Schedule& schedule, Timestamp after, int n) {
    std::vector<Timestamp> times;
    for (int i = 0; i < n; ++i) {
        after = schedule.next_after(after);
        times.push_back(after);
    }
    return times;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(durations)

BOOST_AUTO_TEST_CASE(single_units_and_sums_are_whole_seconds) {
    BOOST_TEST(parse_duration("30s").value() == seconds{30});
    BOOST_TEST(parse_duration("15m").value() == minutes{15});
    BOOST_TEST(parse_duration("6h").value() == hours{6});
    BOOST_TEST(parse_duration("1d").value() == days{1});
    BOOST_TEST(parse_duration("1h30m").value() == minutes{90});
    BOOST_TEST(parse_duration("1d2h3m4s").value() == days{1} + hours{2} + minutes{3} + seconds{4});
    BOOST_TEST(parse_duration("90m").value() == minutes{90});
    BOOST_TEST(parse_duration("0h5m").value() == minutes{5});
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused) {
    for (const char* bad : {"",
                            "30",
                            "s",
                            "5x",
                            "5S",
                            "5 m",
                            " 5m",
                            "5m ",
                            "0s",
                            "0h0m",
                            "-5m",
                            "+5m",
                            "1.5h",
                            "1h1h",
                            "30m1h",
                            "5mm",
                            "h5",
                            "1w",
                            "99999999999999999999s",
                            "36526d",
                            "1000000000000s",
                            "5m\n"}) {
        BOOST_TEST(!parse_duration(bad).has_value(), "accepted: '" << bad << "'");
    }
}

BOOST_AUTO_TEST_CASE(the_largest_duration_is_a_hundred_years) {
    BOOST_TEST(parse_duration("36525d").value() == days{36525});
    BOOST_TEST(!parse_duration("36525d1s").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schedule_parsing)

BOOST_AUTO_TEST_CASE(refusals_name_the_problem) {
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"61 * * * *", "minute 61 is out of range 0-59"},
        {"* 24 * * *", "hour 24 is out of range 0-23"},
        {"* * 0 * *", "day-of-month 0 is out of range 1-31"},
        {"* * 32 * *", "day-of-month 32 is out of range 1-31"},
        {"* * * 13 *", "month 13 is out of range 1-12"},
        {"* * * 0 *", "month 0 is out of range 1-12"},
        {"* * * * 8", "day-of-week 8 is out of range 0-7"},
        {"99999999999 * * * *", "minute 99999999999 is out of range 0-59"},
        {"* * * *", "expected 5 fields, got 4"},
        {"* * * * * *", "expected 5 fields, got 6"},
        {"1, 2 * * * *", "expected 5 fields, got 6"},
        {"@often", "unknown macro @often"},
        {"@daily 5", "@daily takes nothing after it"},
        {"*/0 * * * *", "step 0 is not allowed"},
        {"1-10/0 * * * *", "step 0 is not allowed"},
        {"*/60 * * * *", "step 60 is out of range 1-59"},
        {"5-1 * * * *", "range 5-1 is backwards"},
        {"* * * * fri-mon", "range fri-mon is backwards"},
        {"* * 31 2 *", "'* * 31 2 *' never fires"},
        {"0 0 30 2 *", "'0 0 30 2 *' never fires"},
        {"0 0 31 4,6,9,11 *", "'0 0 31 4,6,9,11 *' never fires"},
        {"", "schedule is empty"},
        {"   ", "schedule is empty"},
        {"x * * * *", "'x' is not a valid minute"},
        {"* * * foo *", "'foo' is not a valid month"},
        {"* * * * mon-", "'mon-' is not a valid day-of-week range"},
        {"jan * * * *", "'jan' is not a valid minute"},
        {"1,,2 * * * *", "empty item in the minute field"},
        {"1, * * * *", "empty item in the minute field"},
        {"*/x * * * *", "'x' is not a valid step in the minute field"},
        {"@every", "@every needs a duration, such as @every 15m"},
        {"@every 0s", "'0s' is not a duration: use whole numbers with s, m, h or d, such as 1h30m"},
        {"@every 1h 30m",
         "'1h 30m' is not a duration: use whole numbers with s, m, h or d, such as 1h30m"},
        {"* * * * *\n", "schedule may contain only printable ASCII characters"},
    };
    for (const auto& [text, message] : cases) {
        BOOST_TEST(refusal(text) == message, "for '" << text << "'");
    }
}

BOOST_AUTO_TEST_CASE(text_longer_than_200_characters_is_refused) {
    std::string text = "0 0 * * " + std::string(192, '1');
    BOOST_TEST(text.size() == 200u);
    BOOST_TEST(refusal(text) != "schedule is longer than 200 characters");
    text += "1";
    BOOST_TEST(refusal(text) == "schedule is longer than 200 characters");
}

BOOST_AUTO_TEST_CASE(valid_expressions_are_accepted_and_keep_their_text) {
    for (const char* good : {"* * * * *",
                             "0 0 29 2 *",
                             "0 0 31 2 mon",
                             "*/15 * * * *",
                             "10-50/20 * * * *",
                             "5/15 * * * *",
                             "0 9 * jan-mar MON-Fri",
                             "0 0 1,15 * *",
                             "0 0 * * 7",
                             "0 0 * * 0-7",
                             "  0   0 *\t* *  ",
                             "@hourly",
                             "@DAILY",
                             "@midnight",
                             "@weekly",
                             "@monthly",
                             "@yearly",
                             "@annually",
                             "@every 1s",
                             "@every 1h30m"}) {
        BOOST_TEST(refusal(good) == "accepted", "for '" << good << "'");
    }
    BOOST_TEST(parsed("@every 15m").text() == "@every 15m");
    BOOST_TEST(parsed("0 9 * * mon").text() == "0 9 * * mon");
}

BOOST_AUTO_TEST_CASE(random_input_never_crashes) {
    // A cheap fuzz: valid expressions with random edits (a character of cron text or any
    // byte replaced, inserted or removed). Whatever parse accepts must give a later due time.
    const std::vector<std::string> seeds = {"*/15 * * * *", "10-50/20 8-18 * jan-mar mon-fri",
                                            "0 0 29 2 *",   "5/15 1,2 13 * 5",
                                            "@every 1h30m", "@weekly",
                                            "0 0 31 * *",   "59 23 * dec sun-sat"};
    const std::string alphabet = "0123456789*-/,@ \tabcdefhjmnorstuvwyADFJMNOSTW";
    std::mt19937 random(42);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const Timestamp after = utc(2026, 11, 24, 14, 5, 23);
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text = seeds[pick(seeds.size())];
        for (std::size_t edits = 1 + pick(4); edits > 0; --edits) {
            const char c =
                pick(20) == 0 ? static_cast<char>(pick(256)) : alphabet[pick(alphabet.size())];
            const std::size_t at = pick(text.size() + 1);
            switch (pick(3)) {
                case 0: text.insert(at, 1, c); break;
                case 1:
                    if (at < text.size()) text[at] = c;
                    break;
                default:
                    if (at < text.size()) text.erase(at, 1);
                    break;
            }
        }
        const auto result = Schedule::parse(text, TimeZone{});
        if (const auto* schedule = std::get_if<Schedule>(&result)) {
            ++accepted;
            BOOST_TEST(schedule->next_after(after) > after, "for '" << text << "'");
        } else {
            BOOST_TEST(!std::get<std::string>(result).empty());
        }
    }
    BOOST_TEST(accepted > 1000);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schedule_next_after)

BOOST_AUTO_TEST_CASE(due_times_are_strictly_after_and_whole) {
    const auto schedule = parsed("*/15 * * * *");
    BOOST_TEST(schedule.next_after(utc(2026, 11, 24, 14, 5, 23, 500)) == utc(2026, 11, 24, 14, 15));
    BOOST_TEST(schedule.next_after(utc(2026, 11, 24, 14, 14, 59, 999999)) ==
               utc(2026, 11, 24, 14, 15));
    BOOST_TEST(schedule.next_after(utc(2026, 11, 24, 14, 15)) == utc(2026, 11, 24, 14, 30));
    BOOST_TEST(schedule.next_after(utc(2026, 11, 24, 23, 50)) == utc(2026, 11, 25, 0, 0));
}

BOOST_AUTO_TEST_CASE(steps_ranges_and_lists_pick_their_minutes) {
    BOOST_TEST(due_times(parsed("10-50/20 * * * *"), utc(2026, 1, 1), 4) ==
               (std::vector{utc(2026, 1, 1, 0, 10), utc(2026, 1, 1, 0, 30), utc(2026, 1, 1, 0, 50),
                            utc(2026, 1, 1, 1, 10)}));
    BOOST_TEST(due_times(parsed("5/15 * * * *"), utc(2026, 1, 1), 5) ==
               (std::vector{utc(2026, 1, 1, 0, 5), utc(2026, 1, 1, 0, 20), utc(2026, 1, 1, 0, 35),
                            utc(2026, 1, 1, 0, 50), utc(2026, 1, 1, 1, 5)}));
    BOOST_TEST(due_times(parsed("0 8,12-13 * * *"), utc(2026, 1, 1), 4) ==
               (std::vector{utc(2026, 1, 1, 8), utc(2026, 1, 1, 12), utc(2026, 1, 1, 13),
                            utc(2026, 1, 2, 8)}));
}

BOOST_AUTO_TEST_CASE(the_year_rolls_over) {
    BOOST_TEST(parsed("0 0 * * *").next_after(utc(2026, 12, 31, 23, 59, 59)) == utc(2027, 1, 1));
    BOOST_TEST(parsed("@yearly").next_after(utc(2026, 1, 1)) == utc(2027, 1, 1));
}

BOOST_AUTO_TEST_CASE(short_months_are_skipped_for_late_days) {
    const auto thirty_first = parsed("0 0 31 * *");
    BOOST_TEST(due_times(thirty_first, utc(2026, 1, 31), 3) ==
               (std::vector{utc(2026, 3, 31), utc(2026, 5, 31), utc(2026, 7, 31)}));
    BOOST_TEST(parsed("0 12 30 * *").next_after(utc(2026, 1, 30, 12)) == utc(2026, 3, 30, 12));
}

BOOST_AUTO_TEST_CASE(the_29th_of_february_waits_for_leap_years) {
    const auto leap_day = parsed("0 0 29 2 *");
    BOOST_TEST(leap_day.next_after(utc(2026, 1, 1)) == utc(2028, 2, 29));
    BOOST_TEST(leap_day.next_after(utc(2028, 2, 29)) == utc(2032, 2, 29));
    // 2100 is not a leap year: eight years between two due times.
    BOOST_TEST(leap_day.next_after(utc(2096, 2, 29)) == utc(2104, 2, 29));
}

BOOST_AUTO_TEST_CASE(both_day_fields_restricted_match_either) {
    // Fridays, and the 13th: 2026-02-06 and 2026-02-20 are Fridays, the 13th is one too.
    const auto either = parsed("0 0 13 * 5");
    BOOST_TEST(due_times(either, utc(2026, 2, 1), 3) ==
               (std::vector{utc(2026, 2, 6), utc(2026, 2, 13), utc(2026, 2, 20)}));
    // 2026-03-13 is a Friday; 2026-04-13 a Monday, due through the 13th alone.
    BOOST_TEST(either.next_after(utc(2026, 4, 10)) == utc(2026, 4, 13));
    // "1-31/10" restricts the day of month: the 1st, 11th, 21st, 31st or a Sunday.
    BOOST_TEST(
        due_times(parsed("0 0 1-31/10 * sun"), utc(2026, 11, 20), 4) ==
        (std::vector{utc(2026, 11, 21), utc(2026, 11, 22), utc(2026, 11, 29), utc(2026, 12, 1)}));
    // As in Vixie cron, a day field starting with `*` does not restrict, even "*/10": then both
    // must match (the 1st, 11th, 21st or 31st that is a Sunday), as a copied crontab line does.
    BOOST_TEST(due_times(parsed("0 0 */10 * sun"), utc(2026, 11, 20), 2) ==
               (std::vector{utc(2027, 1, 31), utc(2027, 2, 21)}));
}

BOOST_AUTO_TEST_CASE(one_day_field_restricted_matches_it_alone) {
    BOOST_TEST(parsed("0 0 * * 5").next_after(utc(2026, 2, 1)) == utc(2026, 2, 6));
    BOOST_TEST(parsed("0 0 13 * *").next_after(utc(2026, 2, 1)) == utc(2026, 2, 13));
    // Fridays in March only.
    BOOST_TEST(parsed("0 0 * mar fri").next_after(utc(2026, 2, 1)) == utc(2026, 3, 6));
}

BOOST_AUTO_TEST_CASE(names_are_case_insensitive_and_seven_is_sunday) {
    const auto by_name = parsed("0 9 * jan-MAR Mon-fri");
    const auto by_number = parsed("0 9 * 1-3 1-5");
    BOOST_TEST(due_times(by_name, utc(2026, 3, 30), 3) ==
               due_times(by_number, utc(2026, 3, 30), 3));
    BOOST_TEST(by_name.next_after(utc(2026, 3, 31, 9)) == utc(2027, 1, 1, 9));  // a Friday
    // 2026-11-29 is a Sunday.
    BOOST_TEST(parsed("0 0 * * 7").next_after(utc(2026, 11, 24)) == utc(2026, 11, 29));
    BOOST_TEST(parsed("0 0 * * SUN").next_after(utc(2026, 11, 24)) == utc(2026, 11, 29));
    BOOST_TEST(parsed("0 0 * * 0").next_after(utc(2026, 11, 24)) == utc(2026, 11, 29));
}

BOOST_AUTO_TEST_CASE(macros_expand_to_their_fields) {
    const Timestamp after = utc(2026, 11, 24, 14, 5);  // a Tuesday
    BOOST_TEST(parsed("@hourly").next_after(after) == utc(2026, 11, 24, 15));
    BOOST_TEST(parsed("@daily").next_after(after) == utc(2026, 11, 25));
    BOOST_TEST(parsed("@midnight").next_after(after) == utc(2026, 11, 25));
    BOOST_TEST(parsed("@weekly").next_after(after) == utc(2026, 11, 29));
    BOOST_TEST(parsed("@monthly").next_after(after) == utc(2026, 12, 1));
    BOOST_TEST(parsed("@yearly").next_after(after) == utc(2027, 1, 1));
    BOOST_TEST(parsed("@annually").next_after(after) == utc(2027, 1, 1));
    // Cron fields are local time: midnight in Paris is 23:00 UTC in winter.
    BOOST_TEST(parsed("@daily", zone("Europe/Paris")).next_after(after) == utc(2026, 11, 24, 23));
}

BOOST_AUTO_TEST_CASE(every_counts_whole_multiples_since_the_epoch) {
    const Timestamp after = utc(2026, 11, 24, 14, 5, 23, 250);
    BOOST_TEST(parsed("@every 30s").next_after(after) == utc(2026, 11, 24, 14, 5, 30));
    BOOST_TEST(parsed("@every 15m").next_after(after) == utc(2026, 11, 24, 14, 15));
    BOOST_TEST(parsed("@every 1d").next_after(after) == utc(2026, 11, 25));
    // 2026-01-01 00:00 UTC is 70128 * 7 h after the epoch.
    const auto seven_hours = parsed("@every 7h");
    BOOST_TEST(due_times(seven_hours, utc(2026, 1, 1, 10), 3) ==
               (std::vector{utc(2026, 1, 1, 14), utc(2026, 1, 1, 21), utc(2026, 1, 2, 4)}));
    BOOST_TEST(seven_hours.next_after(utc(2026, 1, 1)) == utc(2026, 1, 1, 7));
    BOOST_TEST(parsed("@every 1s").next_after(utc(2026, 1, 1, 0, 0, 0, 999999)) ==
               utc(2026, 1, 1, 0, 0, 1));
    // Before the epoch too.
    BOOST_TEST(parsed("@every 10s").next_after(Timestamp{seconds{-15}}) == Timestamp{seconds{-10}});
    BOOST_TEST(parsed("@every 10s").next_after(Timestamp{microseconds{-5500000}}) == Timestamp{});
}

BOOST_AUTO_TEST_CASE(every_ignores_the_time_zone) {
    const auto paris = parsed("@every 1d", zone("Europe/Paris"));
    BOOST_TEST(paris.next_after(utc(2026, 11, 24, 14)) == utc(2026, 11, 25));
    // Real elapsed time across the spring-forward night: still 24 h apart.
    BOOST_TEST(paris.next_after(utc(2026, 3, 29)) == utc(2026, 3, 30));
}

BOOST_AUTO_TEST_CASE(a_search_over_years_is_quick) {
    // Eight years of day steps, many times over: minute-by-minute would take far too long.
    const auto leap_day = parsed("59 23 29 2 *", zone("America/New_York"));
    const auto started = steady_clock::now();
    Timestamp at = utc(2001, 1, 1);
    for (int i = 0; i < 200; ++i) at = leap_day.next_after(at);
    BOOST_TEST(at == utc(2824, 3, 1, 4, 59));
    const auto elapsed = duration_cast<milliseconds>(steady_clock::now() - started);
    BOOST_TEST(elapsed < milliseconds{5000});
}

BOOST_AUTO_TEST_SUITE_END()

// Cron fields are wall-clock time: a local time the clocks skip is not due that day; one that
// occurs twice is due once, at its first occurrence. The repeated hour does not fire again, so
// "0 * * * *" fires at 01:00 once on the fall-back night: once per local time, not once per
// real hour.
BOOST_AUTO_TEST_SUITE(schedule_daylight_saving)

BOOST_AUTO_TEST_CASE(paris_spring_forward_skips_the_missing_time) {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    const auto schedule = parsed("30 2 * * *", zone("Europe/Paris"));
    BOOST_TEST(schedule.next_after(utc(2026, 3, 27, 12)) == utc(2026, 3, 28, 1, 30));
    BOOST_TEST(schedule.next_after(utc(2026, 3, 28, 12)) == utc(2026, 3, 30, 0, 30));
    // Every quarter hour: 01:45 CET, then 03:00 CEST.
    const auto quarters = parsed("*/15 * * * *", zone("Europe/Paris"));
    BOOST_TEST(due_times(quarters, utc(2026, 3, 29, 0, 40), 2) ==
               (std::vector{utc(2026, 3, 29, 0, 45), utc(2026, 3, 29, 1, 0)}));
}

BOOST_AUTO_TEST_CASE(paris_fall_back_runs_once_at_the_first_occurrence) {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 is at 00:30 and 01:30 UTC.
    const auto schedule = parsed("30 2 * * *", zone("Europe/Paris"));
    BOOST_TEST(due_times(schedule, utc(2026, 10, 24, 12), 2) ==
               (std::vector{utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)}));
    // From inside the repeated hour, the second 02:30 is not due.
    BOOST_TEST(schedule.next_after(utc(2026, 10, 25, 1, 15)) == utc(2026, 10, 26, 1, 30));
}

BOOST_AUTO_TEST_CASE(new_york_spring_forward_skips_the_missing_time) {
    // 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    const auto schedule = parsed("30 2 * * *", zone("America/New_York"));
    BOOST_TEST(due_times(schedule, utc(2026, 3, 7, 12), 2) ==
               (std::vector{utc(2026, 3, 9, 6, 30), utc(2026, 3, 10, 6, 30)}));
    const auto hourly = parsed("0 * * * *", zone("America/New_York"));
    BOOST_TEST(due_times(hourly, utc(2026, 3, 8, 5, 30), 3) ==
               (std::vector{utc(2026, 3, 8, 6), utc(2026, 3, 8, 7), utc(2026, 3, 8, 8)}));
}

BOOST_AUTO_TEST_CASE(new_york_fall_back_runs_once_at_the_first_occurrence) {
    // 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00 UTC; 01:30 is at 05:30 and 06:30 UTC.
    const auto schedule = parsed("30 1 * * *", zone("America/New_York"));
    BOOST_TEST(due_times(schedule, utc(2026, 10, 31, 12), 2) ==
               (std::vector{utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)}));
    // Hourly: 01:00 EDT (05:00 UTC) fires, 01:00 EST (06:00 UTC) does not, 02:00 EST does.
    const auto hourly = parsed("0 * * * *", zone("America/New_York"));
    BOOST_TEST(due_times(hourly, utc(2026, 11, 1, 4, 30), 3) ==
               (std::vector{utc(2026, 11, 1, 5), utc(2026, 11, 1, 7), utc(2026, 11, 1, 8)}));
    BOOST_TEST(hourly.next_after(utc(2026, 11, 1, 6, 15)) == utc(2026, 11, 1, 7));
}

BOOST_AUTO_TEST_SUITE_END()
