// core/daily_stats.hpp and core::read_daily_stats over the in-memory fakes: every day of the
// range, oldest first, zeros filled; one Get Stats record per request; an invalid request reads
// nothing.
#include "backupd/core/daily_stats.hpp"

#include <boost/test/unit_test.hpp>

#include "backupd/core/audited_queries.hpp"
#include "fake_audit_log.hpp"
#include "fake_job_queue.hpp"
#include "printing.hpp"

using namespace backupd;
using namespace std::chrono;
using core::AuditAction;
using core::AuditStatus;

namespace {

constexpr sys_days kDec1{year{2026} / 12 / 1};

core::Timestamp at(sys_days day, hours h, minutes m = minutes{0}) {
    return core::Timestamp{day} + h + m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(daily_stats)

BOOST_AUTO_TEST_CASE(format_day_writes_iso_dates) {
    BOOST_TEST(core::format_day(kDec1) == "2026-12-01");
    BOOST_TEST(core::format_day(sys_days{year{987} / 1 / 9}) == "0987-01-09");
}

BOOST_AUTO_TEST_CASE(every_day_fills_the_days_without_jobs_with_zeros_oldest_first) {
    const core::DailyStatsQuery query{kDec1 - days{2}, kDec1 + days{1}};
    const std::vector<core::DayCounts> counted{{kDec1, 1, 2, 3, 40}, {kDec1 - days{2}, 5}};
    const auto out = core::every_day(query, counted);
    BOOST_REQUIRE(out.size() == 4U);
    BOOST_TEST(core::format_day(out[0].day) == "2026-11-29");
    BOOST_TEST(out[0].succeeded == 5);
    BOOST_TEST(core::format_day(out[1].day) == "2026-11-30");
    BOOST_TEST(out[1].succeeded + out[1].failed + out[1].cancelled + out[1].bytes_copied == 0);
    BOOST_TEST(out[2].failed == 2);
    BOOST_TEST(out[2].cancelled == 3);
    BOOST_TEST(out[2].bytes_copied == 40);
    BOOST_TEST(core::format_day(out[3].day) == "2026-12-02");
    BOOST_TEST(out[3].succeeded == 0);
}

BOOST_AUTO_TEST_CASE(a_daily_request_counts_ended_jobs_by_utc_day_and_writes_one_record) {
    testing::FakeJobQueue jobs;
    testing::FakeAuditLog audit;
    for (int i = 0; i < 6; ++i) jobs.enqueue({.folder = "photos"});
    jobs.enqueue({.folder = "photos", .kind = core::JobKind::restore});
    jobs.set_finished(1, core::JobState::succeeded, at(kDec1, hours{0}), 100);
    jobs.set_finished(2, core::JobState::succeeded, at(kDec1, hours{23}, minutes{59}), 20);
    jobs.set_finished(3, core::JobState::failed, at(kDec1, hours{12}), 3);
    jobs.set_finished(4, core::JobState::cancelled, at(kDec1 - days{1}, hours{23}));
    // Outside the range, and another kind: not counted.
    jobs.set_finished(5, core::JobState::succeeded, at(kDec1 + days{1}, hours{0}));
    jobs.set_finished(7, core::JobState::succeeded, at(kDec1, hours{1}));
    // Job 6 is still queued.
    const auto result = core::read_daily_stats(
        jobs, audit, core::DailyStatsQuery{kDec1 - days{2}, kDec1}, std::string("h"));
    BOOST_TEST(!result.invalid.has_value());
    BOOST_REQUIRE(result.days.size() == 3U);
    BOOST_TEST(result.days[0].succeeded + result.days[0].failed + result.days[0].cancelled == 0);
    BOOST_TEST(result.days[1].cancelled == 1);
    BOOST_TEST(result.days[2].succeeded == 2);
    BOOST_TEST(result.days[2].failed == 1);
    BOOST_TEST(result.days[2].bytes_copied == 123);
    const auto records = audit.records();
    BOOST_REQUIRE(records.size() == 1U);
    BOOST_TEST((records[0].action == AuditAction::get_stats));
    BOOST_TEST((records[0].status == AuditStatus::success));
    BOOST_TEST(records[0].message ==
               "daily backup 2026-11-29 to 2026-12-01: succeeded 2, failed 1, cancelled 1");
    BOOST_TEST(records[0].client_address.value_or("") == "h");
}

BOOST_AUTO_TEST_CASE(a_daily_request_for_another_kind_counts_that_kind_only) {
    testing::FakeJobQueue jobs;
    testing::FakeAuditLog audit;
    jobs.enqueue({.folder = "photos"});
    jobs.enqueue({.folder = "photos", .kind = core::JobKind::verify});
    jobs.set_finished(1, core::JobState::succeeded, at(kDec1, hours{1}));
    jobs.set_finished(2, core::JobState::failed, at(kDec1, hours{1}));
    const auto result = core::read_daily_stats(
        jobs, audit, core::DailyStatsQuery{kDec1, kDec1, core::JobKind::verify}, std::nullopt);
    BOOST_REQUIRE(result.days.size() == 1U);
    BOOST_TEST(result.days[0].succeeded == 0);
    BOOST_TEST(result.days[0].failed == 1);
}

BOOST_AUTO_TEST_CASE(an_invalid_daily_request_reads_nothing_and_writes_one_failed_record) {
    testing::FakeJobQueue jobs;
    testing::FakeAuditLog audit;
    const auto result =
        core::read_daily_stats(jobs, audit, core::InvalidRequest{"from: bad"}, std::nullopt);
    BOOST_REQUIRE(result.invalid.has_value());
    BOOST_TEST(jobs.daily_reads() == 0);
    const auto records = audit.records();
    BOOST_REQUIRE(records.size() == 1U);
    BOOST_TEST((records[0].status == AuditStatus::failed));
    BOOST_TEST(records[0].message == "from: bad");
}

BOOST_AUTO_TEST_SUITE_END()
