// SqlJobQueue::daily_counts on the backend under test: ended jobs of one kind per UTC day of
// finished_at, split by how they ended, with the bytes they copied; the range's bounds are
// whole UTC days (a job at 23:59:59.999999 counts on its day, one at 00:00:00 on the next).
#include <map>

#include <boost/test/unit_test.hpp>

#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono;
using core::JobKind;
using core::JobState;

namespace {

constexpr sys_days kDec1{year{2026} / 12 / 1};

struct DailyFixture : testing::QueueFixture {
    // A job of `kind` that ended as `state` at `finished_at` (database form) having copied
    // `bytes`: enqueued through the store, its end written directly, as no clock can be set.
    void ended(JobKind kind, const std::string& state, const std::string& finished_at,
               long long bytes = 0) {
        core::NewJob wanted = job_for("photos");
        wanted.kind = kind;
        if (kind != JobKind::backup) {
            wanted.snapshot_id = 1;
            wanted.snapshot = "photos/20261124T140523Z-1";
        }
        const auto job = queue.enqueue(wanted);
        scratch.execute("UPDATE jobs SET state = '" + state + "', finished_at = '" + finished_at +
                        "', bytes_copied = " + std::to_string(bytes) +
                        " WHERE id = " + std::to_string(job.id));
    }

    std::map<std::string, core::DayCounts> counts(JobKind kind, sys_days from, sys_days to) {
        std::map<std::string, core::DayCounts> out;
        const auto range = core::whole_utc_days(year_month_day{from}, year_month_day{to});
        for (const auto& day : queue.daily_counts(kind, range))
            out.emplace(core::format_day(day.day), day);
        return out;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(daily_counts, DailyFixture)

BOOST_AUTO_TEST_CASE(ended_jobs_count_on_the_utc_day_they_ended_and_empty_days_are_absent) {
    ended(JobKind::backup, "succeeded", "2026-11-30 23:59:59.999999", 100);
    ended(JobKind::backup, "succeeded", "2026-12-01 00:00:00.000000", 20);
    ended(JobKind::backup, "failed", "2026-12-01 12:30:00.000000", 3);
    ended(JobKind::backup, "cancelled", "2026-12-01 23:59:59.999999");
    ended(JobKind::backup, "failed", "2026-12-03 08:00:00.000000");
    const auto by_day = counts(JobKind::backup, kDec1 - days{1}, kDec1 + days{2});
    BOOST_REQUIRE(by_day.size() == 3U);
    const auto& nov30 = by_day.at("2026-11-30");
    BOOST_TEST(nov30.succeeded == 1);
    BOOST_TEST(nov30.failed + nov30.cancelled == 0);
    BOOST_TEST(nov30.bytes_copied == 100);
    const auto& dec1 = by_day.at("2026-12-01");
    BOOST_TEST(dec1.succeeded == 1);
    BOOST_TEST(dec1.failed == 1);
    BOOST_TEST(dec1.cancelled == 1);
    BOOST_TEST(dec1.bytes_copied == 23);
    BOOST_TEST(!by_day.contains("2026-12-02"));
    BOOST_TEST(by_day.at("2026-12-03").failed == 1);
}

BOOST_AUTO_TEST_CASE(the_range_bounds_are_whole_utc_days) {
    ended(JobKind::backup, "succeeded", "2026-11-30 23:59:59.999999");
    ended(JobKind::backup, "succeeded", "2026-12-01 00:00:00.000000");
    ended(JobKind::backup, "succeeded", "2026-12-01 23:59:59.999999");
    ended(JobKind::backup, "succeeded", "2026-12-02 00:00:00.000000");
    const auto by_day = counts(JobKind::backup, kDec1, kDec1);
    BOOST_REQUIRE(by_day.size() == 1U);
    BOOST_TEST(by_day.at("2026-12-01").succeeded == 2);
}

BOOST_AUTO_TEST_CASE(only_ended_jobs_of_the_kind_asked_count) {
    ended(JobKind::backup, "succeeded", "2026-12-01 10:00:00.000000");
    ended(JobKind::verify, "failed", "2026-12-01 10:00:00.000000");
    ended(JobKind::restore, "succeeded", "2026-12-01 10:00:00.000000", 5);
    queue.enqueue(job_for("docs"));  // still queued: no finished_at
    BOOST_TEST(counts(JobKind::backup, kDec1, kDec1).at("2026-12-01").succeeded == 1);
    BOOST_TEST(counts(JobKind::verify, kDec1, kDec1).at("2026-12-01").failed == 1);
    const auto restores = counts(JobKind::restore, kDec1, kDec1).at("2026-12-01");
    BOOST_TEST(restores.succeeded == 1);
    BOOST_TEST(restores.bytes_copied == 5);
    BOOST_TEST(counts(JobKind::prune, kDec1, kDec1).empty());
}

BOOST_AUTO_TEST_CASE(a_job_the_store_finishes_counts_today) {
    snapshot_of("photos");  // 4096 bytes copied (QueueFixture::success)
    const auto today = floor<days>(core::now_utc());
    const auto by_day = counts(JobKind::backup, today - days{1}, today + days{1});
    BOOST_REQUIRE(by_day.size() == 1U);
    const auto& counted = by_day.at(core::format_day(today));
    BOOST_TEST(counted.succeeded == 1);
    BOOST_TEST(counted.bytes_copied == 4096);
}

BOOST_AUTO_TEST_CASE(no_ended_jobs_give_no_days) {
    BOOST_TEST(counts(JobKind::backup, kDec1 - days{365}, kDec1).empty());
}

BOOST_AUTO_TEST_SUITE_END()
