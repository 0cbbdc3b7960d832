#include "backupd/core/time_zone.hpp"

#include <boost/test/unit_test.hpp>

#include "printing.hpp"

// Local times print as their wall clock, without the zone: "2026-03-29T02:30:00.000000".
namespace boost::test_tools::tt_detail {
template <>
struct print_log_value<backupd::core::LocalSeconds> {
    void operator()(std::ostream& out, const backupd::core::LocalSeconds& at) {
        const auto text =
            backupd::core::format_rfc3339(backupd::core::Timestamp{at.time_since_epoch()});
        out << text.substr(0, text.size() - 1);
    }
};
}  // namespace boost::test_tools::tt_detail

using namespace backupd::core;
using namespace std::chrono;

namespace {

Timestamp utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
    return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm} + seconds{ss};
}

LocalSeconds local(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
    return local_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(time_zones)

BOOST_AUTO_TEST_CASE(find_knows_tzdata_names) {
    for (const char* name : {"Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC",
                             "America/Argentina/Buenos_Aires", "Etc/GMT+5"}) {
        const auto found = TimeZone::find(name);
        BOOST_TEST(found.has_value(), "not found: " << name);
    }
    BOOST_TEST(TimeZone::find("Europe/Paris")->name() == "Europe/Paris");
    BOOST_TEST(TimeZone{}.to_local(utc(2026, 11, 24, 14, 5)) == local(2026, 11, 24, 14, 5));
}

BOOST_AUTO_TEST_CASE(find_refuses_unknown_and_hostile_names) {
    for (const char* name :
         {"", "Nowhere/City", "../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd",
          "europe/paris", "EUROPE/PARIS", "Europe/Paris ", "Europe\\Paris", "Europe/Paris\n",
          "zone.tab", "Europe/", "Europe", "localtime", "posixrules", "right/UTC"}) {
        BOOST_TEST(!TimeZone::find(name).has_value(), "found: '" << name << "'");
    }
    BOOST_TEST(!TimeZone::find(std::string(1000, 'A')).has_value());
    BOOST_TEST(!TimeZone::find(std::string_view("UTC\0x", 5)).has_value());
}

BOOST_AUTO_TEST_CASE(to_local_applies_the_offset_of_the_day) {
    const auto paris = *TimeZone::find("Europe/Paris");
    BOOST_TEST(paris.to_local(utc(2026, 1, 15, 12)) == local(2026, 1, 15, 13));
    BOOST_TEST(paris.to_local(utc(2026, 7, 15, 12)) == local(2026, 7, 15, 14));
    const auto new_york = *TimeZone::find("America/New_York");
    BOOST_TEST(new_york.to_local(utc(2026, 1, 15, 3)) == local(2026, 1, 14, 22));
    BOOST_TEST(new_york.to_local(utc(2026, 7, 15, 3)) == local(2026, 7, 14, 23));
    // Seconds are truncated.
    BOOST_TEST(paris.to_local(utc(2026, 1, 15, 12) + microseconds{999999}) ==
               local(2026, 1, 15, 13));
}

BOOST_AUTO_TEST_CASE(to_utc_round_trips_an_ordinary_time) {
    const auto paris = *TimeZone::find("Europe/Paris");
    BOOST_TEST(paris.to_utc(local(2026, 11, 24, 15, 5, 23)).value() ==
               utc(2026, 11, 24, 14, 5, 23));
    BOOST_TEST(paris.to_local(*paris.to_utc(local(2026, 6, 1, 8, 30))) == local(2026, 6, 1, 8, 30));
}

BOOST_AUTO_TEST_CASE(to_utc_has_no_instant_for_a_skipped_local_time) {
    const auto paris = *TimeZone::find("Europe/Paris");
    BOOST_TEST(!paris.to_utc(local(2026, 3, 29, 2, 30)).has_value());
    BOOST_TEST(!paris.to_utc(local(2026, 3, 29, 2, 0)).has_value());
    BOOST_TEST(paris.to_utc(local(2026, 3, 29, 3, 0)).value() == utc(2026, 3, 29, 1));
    BOOST_TEST(paris.to_utc(local(2026, 3, 29, 1, 59, 59)).value() == utc(2026, 3, 29, 0, 59, 59));
    const auto new_york = *TimeZone::find("America/New_York");
    BOOST_TEST(!new_york.to_utc(local(2026, 3, 8, 2, 30)).has_value());
}

BOOST_AUTO_TEST_CASE(to_utc_gives_the_first_occurrence_of_a_repeated_local_time) {
    const auto paris = *TimeZone::find("Europe/Paris");
    BOOST_TEST(paris.to_utc(local(2026, 10, 25, 2, 30)).value() == utc(2026, 10, 25, 0, 30));
    // Both occurrences read back as the same local time.
    BOOST_TEST(paris.to_local(utc(2026, 10, 25, 1, 30)) == local(2026, 10, 25, 2, 30));
    const auto new_york = *TimeZone::find("America/New_York");
    BOOST_TEST(new_york.to_utc(local(2026, 11, 1, 1, 30)).value() == utc(2026, 11, 1, 5, 30));
    BOOST_TEST(new_york.to_utc(local(2026, 11, 1, 2, 0)).value() == utc(2026, 11, 1, 7));
}

BOOST_AUTO_TEST_SUITE_END()
