// core/plans.hpp over in-memory fakes of the ports: checking a plan, running it now, previewing
// and queueing its prune, and deleting one snapshot.
#include "backupd/core/plans.hpp"

#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "fake_job_queue.hpp"
#include "fake_plan_store.hpp"
#include "fake_snapshot_catalog.hpp"
#include "fake_source_folders.hpp"
#include "printing.hpp"

using namespace backupd;
using core::ErrorCode;
using core::JobKind;
using core::JobState;

namespace {

struct Ports {
    testing::FakePlanStore plans;
    testing::FakeJobQueue jobs;
    testing::FakeSnapshotCatalog catalog;
    testing::FakeSourceFolders folders{{"photos"}};
    int wakes = 0;
    core::PlanPorts ports{plans, jobs, catalog, folders, [this] { ++wakes; }};
};

core::PlanSpec spec(std::string name = "photos-nightly", std::string folder = "photos") {
    core::PlanSpec s;
    s.name = std::move(name);
    s.folder = std::move(folder);
    s.schedule = "@every 60s";
    return s;
}

// The error check_plan gives for `s`, or a JobError with an empty message when it accepts it.
core::JobError refusal(const core::PlanSpec& s) {
    const testing::FakeSourceFolders folders;
    return core::check_plan(s, folders).value_or(core::JobError{ErrorCode::internal_error, ""});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plans)

BOOST_AUTO_TEST_CASE(a_plan_with_every_field_acceptable_passes_the_check) {
    auto s = spec();
    s.time_zone = "Europe/Paris";
    s.retention.keep_last = 0;
    s.retention.keep_daily = 7;
    s.retention.keep_within = "30s";
    const testing::FakeSourceFolders folders;
    BOOST_TEST(!core::check_plan(s, folders).has_value());
}

BOOST_AUTO_TEST_CASE(plan_names_follow_the_documented_pattern) {
    for (const std::string& good :
         std::vector<std::string>{"a", "0", "photos-nightly", "a-", std::string(64, 'x')}) {
        BOOST_TEST(refusal(spec(good)).message.empty(), good);
    }
    for (const std::string& bad :
         std::vector<std::string>{"", "-a", "Photos", "a_b", "a b", "é", std::string(65, 'x')}) {
        const auto error = refusal(spec(bad));
        BOOST_TEST((error.code == ErrorCode::invalid_request), bad);
        BOOST_TEST(error.message.starts_with("name must be"), bad);
    }
}

BOOST_AUTO_TEST_CASE(a_folder_the_backup_rules_refuse_keeps_its_own_code) {
    const auto error = refusal(spec("p", ".."));
    BOOST_TEST((error.code == ErrorCode::invalid_folder_name));
    BOOST_TEST(error.message == core::message_for(ErrorCode::invalid_folder_name, ".."));
}

BOOST_AUTO_TEST_CASE(a_folder_that_does_not_exist_yet_is_accepted) {
    BOOST_TEST(refusal(spec("p", "later")).message.empty());
}

BOOST_AUTO_TEST_CASE(an_unparseable_schedule_is_refused_naming_the_field) {
    auto s = spec();
    s.schedule = "61 * * * *";
    const auto error = refusal(s);
    BOOST_TEST((error.code == ErrorCode::invalid_request));
    BOOST_TEST(error.message.starts_with("schedule: "));
}

BOOST_AUTO_TEST_CASE(an_unknown_time_zone_is_refused_with_its_name_cut_and_made_valid) {
    auto s = spec();
    s.time_zone = "Mars/Olympus";
    BOOST_TEST(refusal(s).message == "time_zone: unknown time zone 'Mars/Olympus'");
    s.time_zone = std::string(200, 'z') + "\xff";
    const auto error = refusal(s);
    BOOST_TEST((error.code == ErrorCode::invalid_request));
    BOOST_TEST(error.message == "time_zone: unknown time zone '" + std::string(64, 'z') + "'");
    s.time_zone = "utc";  // tzdata names are case-sensitive
    BOOST_TEST(refusal(s).message == "time_zone: unknown time zone 'utc'");
}

BOOST_AUTO_TEST_CASE(a_negative_count_is_refused_naming_the_rule) {
    auto s = spec();
    s.retention.keep_weekly = -1;
    const auto error = refusal(s);
    BOOST_TEST((error.code == ErrorCode::invalid_request));
    BOOST_TEST(error.message == "retention.keep_weekly must be a whole number >= 0");
    s.retention.keep_weekly = 1;
    s.retention.keep_yearly = -5;
    BOOST_TEST(refusal(s).message == "retention.keep_yearly must be a whole number >= 0");
}

BOOST_AUTO_TEST_CASE(a_keep_within_that_is_not_a_duration_is_refused) {
    auto s = spec();
    s.retention.keep_within = "two days";
    const auto error = refusal(s);
    BOOST_TEST((error.code == ErrorCode::invalid_request));
    BOOST_TEST(error.message ==
               "retention.keep_within: 'two days' is not a duration (30s, 15m, 6h, 1d)");
}

BOOST_AUTO_TEST_CASE(a_keep_within_longer_than_its_column_is_refused_before_it_is_stored) {
    auto s = spec();
    s.retention.keep_within = "000000000001d000000000001h000000000001m000000000001s";
    BOOST_TEST(core::parse_duration(*s.retention.keep_within).has_value());  // valid, but long
    BOOST_TEST(refusal(s).message == "retention.keep_within: at most 32 characters");
}

BOOST_AUTO_TEST_CASE(running_a_plan_now_queues_a_backup_of_its_folder_marked_with_the_plan) {
    Ports p;
    p.plans.create(spec());
    const auto job = core::run_plan_now(p.ports, "photos-nightly", "10.0.0.7");
    BOOST_REQUIRE(job.has_value());
    BOOST_TEST((job->kind == JobKind::backup));
    BOOST_TEST((job->state == JobState::queued));
    BOOST_TEST(job->folder == "photos");
    BOOST_TEST(job->plan.value_or("") == "photos-nightly");
    BOOST_TEST(!job->scheduled_for.has_value());
    BOOST_TEST(job->client_address.value_or("") == "10.0.0.7");
    BOOST_TEST(p.wakes == 1);
    BOOST_TEST(p.jobs.jobs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(running_a_plan_whose_folder_is_gone_records_a_failed_backup) {
    Ports p;
    p.plans.create(spec("p", "gone"));
    const auto job = core::run_plan_now(p.ports, "p", std::nullopt);
    BOOST_REQUIRE(job.has_value());
    BOOST_TEST((job->state == JobState::failed));
    BOOST_REQUIRE(job->error.has_value());
    BOOST_TEST((job->error->code == ErrorCode::no_such_directory));
    BOOST_TEST(job->plan.value_or("") == "p");
    BOOST_TEST(p.wakes == 0);
}

BOOST_AUTO_TEST_CASE(running_or_pruning_an_unknown_plan_creates_no_job) {
    Ports p;
    BOOST_TEST(!core::run_plan_now(p.ports, "nope", std::nullopt).has_value());
    BOOST_TEST(!core::prune_plan(p.ports, "nope", std::nullopt).has_value());
    BOOST_TEST(!core::preview_prune(p.ports, "nope").has_value());
    BOOST_TEST(p.jobs.jobs().empty());
    BOOST_TEST(p.wakes == 0);
}

BOOST_AUTO_TEST_CASE(the_prune_preview_covers_every_snapshot_of_the_plans_folder_only) {
    Ports p;
    p.plans.create(spec());
    p.catalog.add(3, "photos");
    p.catalog.add(4, "music");
    p.catalog.add(5, "photos");
    const auto decisions = core::preview_prune(p.ports, "photos-nightly");
    BOOST_REQUIRE(decisions.has_value());
    std::set<core::JobId> ids;
    for (const auto& d : *decisions) ids.insert(d.id);
    BOOST_TEST(ids == (std::set<core::JobId>{3, 5}), boost::test_tools::per_element());
    BOOST_TEST(p.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(pruning_a_plan_queues_a_prune_job_of_its_folder) {
    Ports p;
    p.plans.create(spec());
    const auto job = core::prune_plan(p.ports, "photos-nightly", "10.0.0.7");
    BOOST_REQUIRE(job.has_value());
    BOOST_TEST((job->kind == JobKind::prune));
    BOOST_TEST((job->state == JobState::queued));
    BOOST_TEST(job->folder == "photos");
    BOOST_TEST(job->plan.value_or("") == "photos-nightly");
    BOOST_TEST(!job->snapshot_id.has_value());
    BOOST_TEST(p.wakes == 1);
}

BOOST_AUTO_TEST_CASE(deleting_a_snapshot_queues_a_prune_job_for_that_snapshot) {
    Ports p;
    p.catalog.add(17, "photos");
    const auto job = core::delete_snapshot(p.ports, 17, "10.0.0.7");
    BOOST_TEST((job.kind == JobKind::prune));
    BOOST_TEST(job.folder == "photos");
    BOOST_TEST(job.snapshot_id.value_or(0) == 17);
    BOOST_TEST(job.snapshot.value_or("") == "photos/20261124T140523Z-17");
    BOOST_TEST(!job.plan.has_value());
    BOOST_TEST(p.wakes == 1);
}

BOOST_AUTO_TEST_CASE(deleting_an_unknown_or_pinned_snapshot_throws_its_code_and_queues_nothing) {
    Ports p;
    p.catalog.add(17, "photos");
    BOOST_TEST(p.catalog.set_pinned(17, true));
    try {
        core::delete_snapshot(p.ports, 17, std::nullopt);
        BOOST_FAIL("a pinned snapshot was deleted");
    } catch (const core::Error& e) {
        BOOST_TEST((e.code() == ErrorCode::snapshot_pinned));
    }
    try {
        core::delete_snapshot(p.ports, 99, std::nullopt);
        BOOST_FAIL("an unknown snapshot was deleted");
    } catch (const core::Error& e) {
        BOOST_TEST((e.code() == ErrorCode::not_found));
        BOOST_TEST(std::string(e.what()) == "No such snapshot: 99");
    }
    BOOST_TEST(p.jobs.jobs().empty());
    BOOST_TEST(p.wakes == 0);
}

BOOST_AUTO_TEST_CASE(deleting_a_snapshot_in_use_is_a_conflict_and_queues_nothing) {
    Ports p;
    p.catalog.add(17, "photos");
    p.catalog.set_in_use(17, true);
    try {
        core::delete_snapshot(p.ports, 17, std::nullopt);
        BOOST_FAIL("a snapshot in use was deleted");
    } catch (const core::Error& e) {
        BOOST_TEST((e.code() == ErrorCode::conflict));
        BOOST_TEST(std::string(e.what()).find("in use") != std::string::npos);
    }
    BOOST_TEST(p.jobs.jobs().empty());
    p.catalog.set_in_use(17, false);
    BOOST_TEST(core::delete_snapshot(p.ports, 17, std::nullopt).snapshot_id.value_or(0) == 17);
}

// 2026-11-27 is a Friday; 2026-03-29 is the day Paris moves its clocks forward (a 23-hour day).
core::Timestamp utc(std::chrono::year_month_day day, std::chrono::hours hour) {
    return core::Timestamp{std::chrono::sys_days{day} + hour};
}

BOOST_AUTO_TEST_CASE(plan_period_is_the_gap_from_the_next_due_time_to_the_one_after) {
    using namespace std::chrono;
    auto s = spec();
    BOOST_TEST(core::plan_period(s, utc(2026y / 11 / 27, 2h)).value() == 60s);
    s.schedule = "@daily";
    BOOST_TEST(core::plan_period(s, utc(2026y / 11 / 27, 0h)).value() == seconds{24h});
    s.schedule = "0 2 * * 1-5";  // weekdays: Friday's run is followed by Monday's
    BOOST_TEST(core::plan_period(s, utc(2026y / 11 / 27, 2h)).value() == seconds{72h});
    BOOST_TEST(core::plan_period(s, utc(2026y / 11 / 26, 2h)).value() == seconds{24h});
    s.schedule = "@daily";
    s.time_zone = "Europe/Paris";  // midnight in Paris on 29 March 2026 is 23:00 UTC the day before
    BOOST_TEST(core::plan_period(s, utc(2026y / 3 / 28, 23h)).value() == seconds{23h});
}

BOOST_AUTO_TEST_CASE(plan_period_is_unknown_when_the_schedule_or_zone_no_longer_parses) {
    auto s = spec();
    s.time_zone = "Mars/Olympus";
    BOOST_TEST(!core::plan_period(s, utc(std::chrono::year{2026} / 11 / 27, std::chrono::hours{2}))
                    .has_value());
    s = spec();
    s.schedule = "every so often";
    BOOST_TEST(!core::plan_period(s, utc(std::chrono::year{2026} / 11 / 27, std::chrono::hours{2}))
                    .has_value());
}

BOOST_AUTO_TEST_SUITE_END()
