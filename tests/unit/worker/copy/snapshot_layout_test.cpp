#include "backupd/copy/snapshot_layout.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>

#include <boost/test/unit_test.hpp>

using namespace backupd::copy;
using namespace std::chrono;

namespace {

sys_seconds at(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
    return sys_seconds{sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} +
                       seconds{ss}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_layout)

BOOST_AUTO_TEST_CASE(staging_names_are_job_and_attempt_and_parse_back) {
    constexpr auto kMaxId = std::numeric_limits<std::int64_t>::max();
    constexpr auto kMaxAttempt = std::numeric_limits<int>::max();
    const std::tuple<std::int64_t, int, std::string> cases[] = {
        {42, 1, "42-1"},
        {0, 1, "0-1"},
        {7, 12, "7-12"},
        {kMaxId, kMaxAttempt, "9223372036854775807-2147483647"},
    };
    for (const auto& [id, attempt, text] : cases) {
        BOOST_TEST(staging_name(id, attempt) == text);
        const auto parsed = parse_staging_name(text);
        BOOST_REQUIRE(parsed.has_value());
        BOOST_TEST(parsed->job_id == id, text);
        BOOST_TEST(parsed->attempt == attempt, text);
    }
}

BOOST_AUTO_TEST_CASE(malformed_staging_names_are_rejected) {
    for (const char* name : {"",
                             "42",
                             "42-",
                             "-1",
                             "-",
                             "42-0",
                             "042-1",
                             "00-1",
                             "42-01",
                             "-42-1",
                             "42--1",
                             "42-+1",
                             "+42-1",
                             "42-1x",
                             "x-1",
                             "42-1-2",
                             " 42-1",
                             "42 -1",
                             "9223372036854775808-1",
                             "1-2147483648",
                             "42-1.0"}) {
        BOOST_TEST(!parse_staging_name(name).has_value(), "name: '" << name << "'");
    }
}

BOOST_AUTO_TEST_CASE(snapshot_names_are_utc_time_and_job_and_parse_back) {
    const std::tuple<sys_seconds, std::int64_t, std::string> cases[] = {
        {at(2026, 11, 24, 14, 5, 23), 42, "20261124T140523Z-42"},
        {at(2026, 11, 24, 14, 5, 23), 0, "20261124T140523Z-0"},
        {at(2024, 2, 29, 23, 59, 59), 7, "20240229T235959Z-7"},
        {at(1999, 1, 1, 0, 0, 0), 123456789012, "19990101T000000Z-123456789012"},
    };
    for (const auto& [taken_at, id, text] : cases) {
        BOOST_TEST(snapshot_name(taken_at, id) == text);
        const auto parsed = parse_snapshot_name(text);
        BOOST_REQUIRE(parsed.has_value());
        BOOST_TEST((parsed->taken_at == taken_at), text);
        BOOST_TEST(parsed->job_id == id, text);
    }
}

BOOST_AUTO_TEST_CASE(malformed_snapshot_names_are_rejected) {
    for (const char* name : {
             "",
             "20261124T140523Z",                       // no id
             "20261124T140523Z-",                      // empty id
             "20261124T140523Z42",                     // no dash
             "20261124T140523-42",                     // no Z
             "20261124t140523Z-42",                    // lower-case T
             "20261124T140523z-42",                    // lower-case Z
             "20260230T000000Z-1",                     // 30 February
             "20250229T000000Z-1",                     // 29 February of a common year
             "20261324T140523Z-42",                    // month 13
             "20261100T140523Z-42",                    // day 0
             "20261124T240000Z-42",                    // hour 24
             "20261124T146000Z-42",                    // minute 60
             "20261124T140560Z-42",                    // second 60
             "20261124T140523Z-05",                    // leading zero
             "20261124T140523Z-00",                    // zero spelled twice
             "20261124T140523Z--5",                    // negative id
             "20261124T140523Z-+5",                    // signed id
             "20261124T140523Z-42x",                   // trailing characters
             "20261124T140523Z-4 2",                   // inner space
             "x20261124T140523Z-42",                   // leading characters
             "2026-1124T140523Z-42",                   // non-digit in the date
             "2026112T140523Z-42",                     // short date
             "20261124T14052Z-42",                     // short time
             "20261124T140523Z-99999999999999999999",  // id overflow
             "latest",
         }) {
        BOOST_TEST(!parse_snapshot_name(name).has_value(), "name: '" << name << "'");
    }
}

BOOST_AUTO_TEST_SUITE_END()
