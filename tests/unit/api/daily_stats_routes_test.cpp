// GET /api/v1/stats/daily through the router over the fakes (route_fixture.hpp), and the
// whole-day range it reads (parse_day_range): defaults, the JSON shape, and a precise 400
// naming the parameter, each request audited once.
#include <chrono>

#include <boost/test/unit_test.hpp>

#include "backupd/api/date_range.hpp"
#include "backupd/core/daily_stats.hpp"
#include "printing.hpp"
#include "route_fixture.hpp"

using namespace backupd;
using namespace std::chrono;
using testing::contains;

namespace {

constexpr sys_days kToday{year{2026} / 12 / 3};

api::DayRangeResult range(std::optional<std::string_view> from,
                          std::optional<std::string_view> to) {
    return api::parse_day_range(from, to, kToday, 30, 366);
}

std::string today() {
    return core::format_day(floor<days>(core::now_utc()));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(daily_stats_routes)

BOOST_AUTO_TEST_CASE(the_day_range_defaults_to_the_30_days_ending_today) {
    const auto both_absent = range(std::nullopt, std::nullopt);
    BOOST_TEST(both_absent.ok());
    BOOST_TEST(core::format_day(both_absent.from) == "2026-11-04");
    BOOST_TEST(core::format_day(both_absent.to) == "2026-12-03");
    const auto only_to = range(std::nullopt, "2026-03-01");
    BOOST_TEST(core::format_day(only_to.from) == "2026-01-31");
    const auto only_from = range("2026-12-01", std::nullopt);
    BOOST_TEST(core::format_day(only_from.from) == "2026-12-01");
    BOOST_TEST(core::format_day(only_from.to) == "2026-12-03");
    const auto one_day = range("2026-02-28", "2026-02-28");
    BOOST_TEST((one_day.ok() && one_day.from == one_day.to));
}

BOOST_AUTO_TEST_CASE(the_day_range_allows_366_days_and_no_more) {
    BOOST_TEST(range("2024-01-01", "2024-12-31").ok());  // a leap year: 366 days
    const auto long_one = range("2024-01-01", "2025-01-01");
    BOOST_TEST(long_one.error ==
               "from: the range from 2024-01-01 to 2025-01-01 spans 367 days; at most 366");
}

BOOST_AUTO_TEST_CASE(bad_days_are_refused_naming_the_parameter) {
    BOOST_TEST(range("2026-02-30", std::nullopt).error ==
               "from: '2026-02-30' is not a valid date; expected YYYY-MM-DD");
    BOOST_TEST(range(std::nullopt, "yesterday").error ==
               "to: 'yesterday' is not a date; expected YYYY-MM-DD");
    BOOST_TEST(range("2026-12-01T00:00:00Z", std::nullopt).error ==
               "from: '2026-12-01T00:00:00Z' is not a date; expected YYYY-MM-DD");
    BOOST_TEST(range("", std::nullopt).error == "from: the value is empty; expected YYYY-MM-DD");
    BOOST_TEST(range("2026-12-05", "2026-12-01").error ==
               "the range is reversed: from '2026-12-05' is after to '2026-12-01'");
    BOOST_TEST(range("2026-12-04", std::nullopt).error ==
               "the range is reversed: from '2026-12-04' is after to (today, 2026-12-03)");
}

BOOST_AUTO_TEST_CASE(the_route_answers_every_day_of_the_range_oldest_first) {
    testing::RouteFixture api;
    api.jobs.enqueue({.folder = "photos"});
    api.jobs.enqueue({.folder = "photos"});
    api.jobs.set_finished(1, core::JobState::succeeded,
                          core::Timestamp{sys_days{year{2026} / 11 / 2}} + hours{3}, 7);
    api.jobs.set_finished(2, core::JobState::failed,
                          core::Timestamp{sys_days{year{2026} / 11 / 3}} - microseconds{1});
    const auto answer = api.call("GET", "/api/v1/stats/daily?from=2026-11-01&to=2026-11-03");
    BOOST_TEST(answer.status == 200);
    BOOST_TEST(
        answer.body ==
        R"({"from":"2026-11-01","to":"2026-11-03","kind":"backup","days":[)"
        R"({"date":"2026-11-01","succeeded":0,"failed":0,"cancelled":0,"bytes_copied":0},)"
        R"({"date":"2026-11-02","succeeded":1,"failed":1,"cancelled":0,"bytes_copied":7},)"
        R"({"date":"2026-11-03","succeeded":0,"failed":0,"cancelled":0,"bytes_copied":0}]})");
    BOOST_TEST(api.audit.records().size() == 1U);
}

BOOST_AUTO_TEST_CASE(without_parameters_the_route_shows_30_days_ending_today) {
    testing::RouteFixture api;
    const std::string before = today();
    const auto answer = api.call("GET", "/api/v1/stats/daily?kind=restore");
    const std::string after = today();  // the same day, unless UTC midnight passed in between
    BOOST_TEST(answer.status == 200);
    BOOST_TEST((contains(answer.body, R"("to":")" + before + '"') ||
                contains(answer.body, R"("to":")" + after + '"')));
    BOOST_TEST(contains(answer.body, R"("kind":"restore")"));
    std::size_t entries = 0;
    for (auto at = answer.body.find("\"date\""); at != std::string::npos;
         at = answer.body.find("\"date\"", at + 1)) {
        ++entries;
    }
    BOOST_TEST(entries == 30U);
}

BOOST_AUTO_TEST_CASE(bad_queries_are_400_naming_the_parameter_and_audited_as_failed) {
    testing::RouteFixture api;
    const std::pair<const char*, const char*> cases[] = {
        {"?from=2026-13-01", "from: '2026-13-01' is not a valid date"},
        {"?to=soon", "to: 'soon' is not a date"},
        {"?from=2026-12-02&to=2026-12-01", "the range is reversed"},
        {"?from=2020-01-01&to=2026-01-01", "at most 366"},
        {"?kind=backups", "kind: 'backups' is not one of backup, restore, verify, prune"},
        {"?colour=red", "unknown parameter 'colour'; expected from, to, kind"},
    };
    for (const auto& [query, message] : cases) {
        const auto answer = api.call("GET", std::string("/api/v1/stats/daily") + query);
        BOOST_TEST(answer.status == 400, query);
        BOOST_TEST(contains(answer.body, R"("code":"invalid_request")"), query);
        BOOST_TEST(contains(answer.body, message), query << ": " << answer.body);
    }
    const auto records = api.audit.records();
    BOOST_TEST(records.size() == std::size(cases));
    for (const auto& record : records) BOOST_TEST((record.status == core::AuditStatus::failed));
    BOOST_TEST(api.jobs.daily_reads() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
