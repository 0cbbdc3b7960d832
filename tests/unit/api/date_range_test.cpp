#include "backupd/api/date_range.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

#include "printing.hpp"

using namespace backupd::api;
using backupd::core::Timestamp;
using namespace std::chrono;

namespace {
Timestamp at(int y, unsigned m, unsigned d, int hh, int mm, int ss, long us) {
    return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm} +
           seconds{ss} + microseconds{us};
}
// The `from` bound alone, which must parse.
Timestamp from_of(std::string_view text) {
    const auto result = parse_date_range(text, std::nullopt);
    BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
    return result.range.value().from;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(date_range)

BOOST_AUTO_TEST_CASE(a_date_means_its_whole_utc_day_to_the_microsecond) {
    const auto result = parse_date_range("2026-11-24", "2026-11-24");
    BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
    BOOST_REQUIRE(result.range.has_value());
    BOOST_TEST(result.range->from == at(2026, 11, 24, 0, 0, 0, 0));
    BOOST_TEST(result.range->to == at(2026, 11, 24, 23, 59, 59, 999999));
}

BOOST_AUTO_TEST_CASE(no_bounds_means_no_range_and_no_error) {
    const auto result = parse_date_range(std::nullopt, std::nullopt);
    BOOST_TEST(result.ok());
    BOOST_TEST(!result.range.has_value());
}

BOOST_AUTO_TEST_CASE(an_absent_bound_is_open_to_1970_or_to_year_9999) {
    const auto only_from = parse_date_range("2026-11-24", std::nullopt);
    BOOST_REQUIRE(only_from.ok());
    BOOST_TEST(only_from.range->to == at(9999, 12, 31, 23, 59, 59, 999999));
    const auto only_to = parse_date_range(std::nullopt, "2026-11-24");
    BOOST_REQUIRE(only_to.ok());
    BOOST_TEST(only_to.range->from == at(1970, 1, 1, 0, 0, 0, 0));
    BOOST_TEST(only_to.range->to == at(2026, 11, 24, 23, 59, 59, 999999));
}

BOOST_AUTO_TEST_CASE(bounds_outside_what_the_store_holds_are_clamped) {
    BOOST_TEST(from_of("0001-01-01") == kEarliestBound);
    const auto result = parse_date_range(std::nullopt, "9999-12-31T23:00:00-05:00");
    BOOST_REQUIRE(result.ok());
    BOOST_TEST(result.range->to == kLatestBound);
}

BOOST_AUTO_TEST_CASE(an_impossible_date_is_an_error_naming_parameter_and_formats) {
    const auto result = parse_date_range("2026-02-30", std::nullopt);
    BOOST_TEST(!result.range.has_value());
    BOOST_TEST(result.error ==
               "from: '2026-02-30' is not a valid date; expected YYYY-MM-DD or an RFC 3339 time "
               "such as 2026-11-24T14:05:23Z");
    BOOST_TEST(!parse_date_range("2026-13-01", std::nullopt).ok());
    BOOST_TEST(!parse_date_range("2026-00-10", std::nullopt).ok());
    BOOST_TEST(!parse_date_range("2025-02-29", std::nullopt).ok());
    BOOST_TEST(parse_date_range("2024-02-29", std::nullopt).ok());
}

BOOST_AUTO_TEST_CASE(malformed_dates_are_errors) {
    for (const char* bad :
         {"garbage", "20261120", "2026-1-5", "2026-01-5", "26-01-05", "2026/01/05", " 2026-01-05",
          "2026-01-05 ", "+2026-01-05", "2026-01-05T", "2026-11-24x", "２０２６-01-05"}) {
        const auto result = parse_date_range(std::nullopt, bad);
        BOOST_TEST(!result.ok(), bad);
        BOOST_TEST(!result.range.has_value(), bad);
        BOOST_TEST(result.error.rfind("to: ", 0) == 0u, result.error);
        BOOST_TEST(result.error.find("expected YYYY-MM-DD") != std::string::npos, result.error);
    }
}

BOOST_AUTO_TEST_CASE(an_empty_bound_is_an_error) {
    const auto result = parse_date_range("", std::nullopt);
    BOOST_TEST(!result.ok());
    BOOST_TEST(result.error.rfind("from: the value is empty; expected YYYY-MM-DD", 0) == 0u,
               result.error);
}

BOOST_AUTO_TEST_CASE(errors_use_the_names_the_client_used) {
    const auto result = parse_date_range("2026-11-24", "nope", BoundNames{"start", "end"});
    BOOST_TEST(result.error.rfind("end: 'nope'", 0) == 0u, result.error);
}

BOOST_AUTO_TEST_CASE(a_reversed_range_is_an_error_showing_both_bounds) {
    const auto result = parse_date_range("2026-11-25", "2026-11-24");
    BOOST_TEST(!result.range.has_value());
    BOOST_TEST(result.error ==
               "the range is reversed: from '2026-11-25' (2026-11-25T00:00:00.000000Z) is after "
               "to '2026-11-24' (2026-11-24T23:59:59.999999Z)");
    BOOST_TEST(!parse_date_range("2026-11-24T10:00:00Z", "2026-11-24T09:59:59.999999Z").ok());
    BOOST_TEST(parse_date_range("2026-11-24T10:00:00Z", "2026-11-24T10:00:00Z").ok());
}

BOOST_AUTO_TEST_CASE(rfc3339_instants_are_taken_as_given_in_utc) {
    BOOST_TEST(from_of("2026-11-24T14:05:23Z") == at(2026, 11, 24, 14, 5, 23, 0));
    BOOST_TEST(from_of("2026-11-24t14:05:23z") == at(2026, 11, 24, 14, 5, 23, 0));
    const auto result = parse_date_range("2026-11-24T14:05:23Z", "2026-11-24T14:05:23Z");
    BOOST_REQUIRE(result.ok());
    BOOST_TEST(result.range->to == at(2026, 11, 24, 14, 5, 23, 0));
}

BOOST_AUTO_TEST_CASE(rfc3339_offsets_are_converted_to_utc) {
    BOOST_TEST(from_of("2026-11-24T14:05:23+02:00") == at(2026, 11, 24, 12, 5, 23, 0));
    BOOST_TEST(from_of("2026-11-24T14:05:23-05:30") == at(2026, 11, 24, 19, 35, 23, 0));
    BOOST_TEST(from_of("2026-01-01T00:30:00+01:00") == at(2025, 12, 31, 23, 30, 0, 0));
    BOOST_TEST(from_of("2026-11-24T14:05:23-00:00") == at(2026, 11, 24, 14, 5, 23, 0));
}

BOOST_AUTO_TEST_CASE(rfc3339_fractions_are_truncated_to_microseconds) {
    BOOST_TEST(from_of("2026-11-24T14:05:23.5Z") == at(2026, 11, 24, 14, 5, 23, 500000));
    BOOST_TEST(from_of("2026-11-24T14:05:23.123456Z") == at(2026, 11, 24, 14, 5, 23, 123456));
    BOOST_TEST(from_of("2026-11-24T14:05:23.123456999Z") == at(2026, 11, 24, 14, 5, 23, 123456));
    BOOST_TEST(!parse_date_range("2026-11-24T14:05:23.1234567890Z", std::nullopt).ok());
    BOOST_TEST(!parse_date_range("2026-11-24T14:05:23.Z", std::nullopt).ok());
}

BOOST_AUTO_TEST_CASE(a_leap_second_reads_as_the_last_microsecond_of_its_minute) {
    BOOST_TEST(from_of("2016-12-31T23:59:60Z") == at(2016, 12, 31, 23, 59, 59, 999999));
}

BOOST_AUTO_TEST_CASE(malformed_or_out_of_range_times_are_errors) {
    for (const char* bad :
         {"2026-11-24T14:05:23", "2026-11-24T14:05Z", "2026-11-24 14:05:23Z",
          "2026-11-24T14:05:23+0200", "2026-11-24T14:05:23+02", "2026-11-24T14:05:23Zjunk",
          "2026-11-24T24:00:00Z", "2026-11-24T23:60:00Z", "2026-11-24T23:59:61Z",
          "2026-11-24T14:05:23+24:00", "2026-11-24T14:05:23+02:60", "2026-02-30T00:00:00Z"}) {
        const auto result = parse_date_range(bad, std::nullopt);
        BOOST_TEST(!result.ok(), bad);
        BOOST_TEST(result.error.rfind("from: '", 0) == 0u, result.error);
    }
    BOOST_TEST(
        parse_date_range("2026-11-24T24:00:00Z", std::nullopt).error.find("not a valid time") !=
        std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
