#include "backupd/core/time.hpp"

#include <boost/test/unit_test.hpp>

#include "printing.hpp"

using namespace backupd::core;
using namespace std::chrono;

namespace {
Timestamp at(int y, unsigned m, unsigned d, int hh, int mm, int ss, long us) {
    return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm} +
           seconds{ss} + microseconds{us};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(time_formats)

BOOST_AUTO_TEST_CASE(rfc3339_has_six_fraction_digits_and_z) {
    BOOST_TEST(format_rfc3339(at(2026, 11, 24, 14, 5, 23, 123456)) ==
               "2026-11-24T14:05:23.123456Z");
    BOOST_TEST(format_rfc3339(at(2026, 1, 2, 3, 4, 5, 7)) == "2026-01-02T03:04:05.000007Z");
}

BOOST_AUTO_TEST_CASE(db_time_round_trips) {
    const Timestamp t = at(2024, 2, 29, 23, 59, 59, 999999);
    BOOST_TEST(format_db_time(t) == "2024-02-29 23:59:59.999999");
    BOOST_TEST(parse_db_time(format_db_time(t)).value() == t);
}

BOOST_AUTO_TEST_CASE(db_time_accepts_short_fractions_as_mysql_returns_them) {
    BOOST_TEST(parse_db_time("2026-11-24 10:00:00").value() == at(2026, 11, 24, 10, 0, 0, 0));
    BOOST_TEST(parse_db_time("2026-11-24 10:00:00.5").value() ==
               at(2026, 11, 24, 10, 0, 0, 500000));
}

BOOST_AUTO_TEST_CASE(db_time_rejects_malformed_and_impossible_text) {
    for (const char* bad : {"", "garbage", "2026-02-30 00:00:00", "2026-11-24T10:00:00",
                            "2026-11-24 24:00:00", "2026-11-24 10:00:00.", "2026-11-24 10:00",
                            "2026-11-24 10:00:00.1234567", "2026-11-24 10:00:00x"}) {
        BOOST_TEST(!parse_db_time(bad).has_value(), "accepted: " << bad);
    }
}

BOOST_AUTO_TEST_CASE(whole_days_cover_first_to_last_microsecond) {
    const auto range = whole_utc_days(year{2026} / 11 / 20, year{2026} / 11 / 20);
    BOOST_TEST(format_db_time(range.from) == "2026-11-20 00:00:00.000000");
    BOOST_TEST(format_db_time(range.to) == "2026-11-20 23:59:59.999999");
    const auto span = whole_utc_days(year{2026} / 2 / 28, year{2026} / 3 / 1);
    BOOST_TEST(format_db_time(span.to) == "2026-03-01 23:59:59.999999");
}

BOOST_AUTO_TEST_SUITE_END()
