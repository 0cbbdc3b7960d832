// Plans on the database (issue 11): CRUD with what is derived from jobs and snapshots, firing
// due runs exactly once across daemons, catch-up, skips on overlap, and the prune a plan's
// succeeded backup queues.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "backupd/store/sql_plan_store.hpp"
#include "backupd/store/sql_snapshot_catalog.hpp"
#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using core::JobKind;
using core::JobState;

namespace {

const core::LeaseOwner kNode{"node-a", "incarnation-1"};

struct PlanFixture : testing::QueueFixture {
    store::SqlPlanStore plans{*database};
    store::SqlSnapshotCatalog catalog{*database};

    static core::PlanSpec spec_of(std::string name, std::string folder,
                                  std::string schedule = "@every 3600s",
                                  core::Retention retention = {}) {
        return {.name = std::move(name),
                .folder = std::move(folder),
                .schedule = std::move(schedule),
                .time_zone = "UTC",
                .retention = std::move(retention)};
    }

    // Moves the plan's next due time to `at` (the database form), as if time had passed.
    void set_due(const std::string& plan, core::Timestamp at) {
        scratch.execute("UPDATE plans SET next_run_at = '" + core::format_db_time(at) +
                        "' WHERE name = '" + plan + "'");
    }

    // Claims the next job (it must be `id`) and finishes it with `outcome`.
    void run(core::JobId id, core::JobOutcome outcome) {
        const auto claim = queue.claim(kNode).value();
        BOOST_REQUIRE(claim.job.id == id);
        if (outcome.state == JobState::succeeded && claim.job.kind == JobKind::backup) {
            outcome.snapshot = claim.job.folder + "/20261124T140523Z-" + std::to_string(id);
        }
        BOOST_REQUIRE(queue.finish(claim, outcome));
    }

    std::vector<core::Job> jobs_of_plan(const std::string& plan) {
        core::JobFilter filter;
        filter.plan = plan;
        filter.limit = 1000;
        return queue.list(filter).jobs;
    }

    std::vector<core::AuditRecord> schedule_records() {
        std::vector<core::AuditRecord> out;
        for (auto& record : all_audit_records()) {
            if (record.action == core::AuditAction::schedule) out.push_back(std::move(record));
        }
        return out;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(plan_store, PlanFixture)

BOOST_AUTO_TEST_CASE(create_stores_the_spec_and_its_next_due_time_by_the_database_clock) {
    const auto before = core::now_utc() - 5s;
    const auto spec = spec_of("photos-nightly", "photos", "@every 3600s",
                              {.keep_last = 7, .keep_daily = 14, .keep_within = "48h"});
    const auto created = plans.create(spec);
    BOOST_TEST((created.spec == spec));
    BOOST_TEST((created.created_at > before));
    BOOST_TEST((created.updated_at == created.created_at));
    // @every 3600s: the next whole hour after now.
    const auto next = created.next_run_at.value();
    BOOST_TEST((next > before));
    BOOST_TEST((next <= core::now_utc() + 3600s + 5s));
    BOOST_TEST((std::chrono::floor<std::chrono::hours>(next) == next));
    BOOST_TEST(!created.last_run.has_value());
    BOOST_TEST(!created.last_success_at.has_value());
    BOOST_TEST(created.snapshots == 0);
    BOOST_TEST(created.runs_skipped == 0);

    const auto found = plans.find("photos-nightly").value();
    BOOST_TEST((found.spec == spec));
    BOOST_TEST((found.next_run_at == created.next_run_at));
    BOOST_TEST(!plans.find("nope").has_value());
}

BOOST_AUTO_TEST_CASE(create_on_a_taken_name_throws_plan_exists_and_changes_nothing) {
    plans.create(spec_of("docs", "docs"));
    try {
        plans.create(spec_of("docs", "other"));
        BOOST_FAIL("a taken name was accepted");
    } catch (const core::Error& e) {
        BOOST_TEST(e.code() == core::ErrorCode::plan_exists);
    }
    BOOST_TEST(plans.find("docs")->spec.folder == "docs");
    BOOST_TEST(plans.list().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_disabled_plan_has_no_next_due_time_and_never_fires) {
    auto spec = spec_of("docs", "docs", "@every 1s");
    spec.enabled = false;
    const auto created = plans.create(spec);
    BOOST_TEST(!created.next_run_at.has_value());
    BOOST_TEST(!created.spec.enabled);
    // Even with a due time forced into the past, a disabled plan is not fired.
    set_due("docs", core::now_utc() - 1h);
    BOOST_TEST(plans.fire_due(10).empty());
    BOOST_TEST(jobs_of_plan("docs").empty());
}

BOOST_AUTO_TEST_CASE(replace_changes_the_spec_keeps_created_at_and_recomputes_the_due_time) {
    const auto created = plans.create(spec_of("docs", "docs", "@every 3600s"));
    auto spec = spec_of("docs", "documents", "@every 60s", {.keep_last = 3});
    const auto replaced = plans.replace(spec).value();
    BOOST_TEST((replaced.spec == spec));
    BOOST_TEST((replaced.created_at == created.created_at));
    BOOST_TEST((replaced.updated_at >= created.updated_at));
    const auto next = replaced.next_run_at.value();
    BOOST_TEST((next <= core::now_utc() + 65s));  // the new schedule's, not the hour's
    BOOST_TEST((plans.find("docs")->spec == spec));

    spec.enabled = false;
    BOOST_TEST(!plans.replace(spec)->next_run_at.has_value());
    BOOST_TEST(!plans.replace(spec_of("nope", "docs")).has_value());
    BOOST_TEST(!plans.find("nope").has_value());
}

// A due time that came but was not fired yet survives an edit that changes neither when nor
// whether the plan runs; any edit of the schedule, the zone or enabled recomputes it.
BOOST_AUTO_TEST_CASE(replace_keeps_a_pending_due_time_unless_schedule_zone_or_enabled_change) {
    plans.create(spec_of("docs", "docs", "@every 3600s"));
    const auto pending = std::chrono::floor<std::chrono::seconds>(core::now_utc()) - 1s;
    set_due("docs", pending);
    auto spec = spec_of("docs", "docs", "@every 3600s", {.keep_last = 3});
    BOOST_TEST((plans.replace(spec)->next_run_at.value() == pending));
    BOOST_TEST((plans.replace(spec)->next_run_at.value() == pending));  // enabled: true again
    const auto fired = plans.fire_due(10);
    BOOST_REQUIRE(fired.size() == 1u);
    BOOST_TEST((fired[0].scheduled_for == pending));
    BOOST_TEST(fired[0].job.has_value());

    const auto recomputed = [&](const core::PlanSpec& changed) {
        set_due("docs", pending);
        return plans.replace(changed)->next_run_at.value() > core::now_utc() - 1s;
    };
    BOOST_TEST(recomputed(spec_of("docs", "docs", "@every 1800s")));
    auto zone = spec_of("docs", "docs", "@every 1800s");
    zone.time_zone = "Europe/Paris";
    BOOST_TEST(recomputed(zone));
    auto disabled = zone;
    disabled.enabled = false;
    set_due("docs", pending);
    BOOST_TEST(!plans.replace(disabled)->next_run_at.has_value());
    BOOST_TEST(recomputed(zone));  // enabled again: not the due time it had before
}

BOOST_AUTO_TEST_CASE(remove_deletes_the_plan_but_keeps_its_jobs) {
    plans.create(spec_of("docs", "docs"));
    set_due("docs", core::now_utc() - 1min);
    const auto fired = plans.fire_due(10);
    BOOST_REQUIRE(fired.size() == 1u);
    BOOST_TEST(plans.remove("docs"));
    BOOST_TEST(!plans.remove("docs"));
    BOOST_TEST(!plans.find("docs").has_value());
    BOOST_TEST(plans.list().empty());
    BOOST_TEST(queue.find(fired[0].job->id)->plan.value() == "docs");
}

BOOST_AUTO_TEST_CASE(list_is_by_name_with_last_run_last_success_and_snapshots_derived) {
    plans.create(spec_of("zeta", "zeta-folder"));
    plans.create(spec_of("alpha", "photos"));
    // A snapshot of the folder made without the plan counts too: it is the folder's.
    const auto manual = queue.enqueue(job_for("photos"));
    run(manual.id, success(""));
    // A fired run that succeeds, then a run by hand that is still queued.
    set_due("alpha", core::now_utc() - 1min);
    const auto fired = plans.fire_due(10);
    BOOST_REQUIRE(fired.size() == 1u);
    run(fired[0].job->id, success(""));
    const auto by_hand = queue.enqueue({.folder = "photos", .plan = "alpha"});

    const auto list = plans.list();
    BOOST_REQUIRE(list.size() == 2u);
    BOOST_TEST(list[0].spec.name == "alpha");
    BOOST_TEST(list[1].spec.name == "zeta");
    const auto& alpha = list[0];
    BOOST_TEST(alpha.last_run->job_id == by_hand.id);
    BOOST_TEST((alpha.last_run->state == JobState::queued));
    BOOST_TEST((alpha.last_run->at == by_hand.submitted_at));
    BOOST_TEST(
        (alpha.last_success_at.value() == queue.find(fired[0].job->id)->finished_at.value()));
    BOOST_TEST(alpha.snapshots == 2);
    BOOST_TEST(!list[1].last_run.has_value());
    BOOST_TEST(list[1].snapshots == 0);
    // find derives the same.
    const auto found = plans.find("alpha").value();
    BOOST_TEST(found.last_run->job_id == by_hand.id);
    BOOST_TEST(found.snapshots == 2);
}

BOOST_AUTO_TEST_CASE(jobs_carry_their_plan_and_due_time_and_the_job_list_filters_by_plan) {
    const auto due = core::Timestamp{std::chrono::sys_days{2026y / 11 / 24} + 14h};
    const auto fired = queue.enqueue({.folder = "photos", .plan = "alpha", .scheduled_for = due});
    queue.enqueue({.folder = "photos"});
    const auto other = queue.enqueue({.folder = "docs", .plan = "beta"});
    const auto read = queue.find(fired.id).value();
    BOOST_TEST(read.plan.value() == "alpha");
    BOOST_TEST((read.scheduled_for.value() == due));
    BOOST_TEST(!queue.find(other.id)->scheduled_for.has_value());

    const auto alpha = jobs_of_plan("alpha");
    BOOST_REQUIRE(alpha.size() == 1u);
    BOOST_TEST(alpha[0].id == fired.id);
    core::JobFilter filter;
    filter.plan = "beta";
    filter.kind = JobKind::backup;
    filter.state = JobState::queued;
    BOOST_TEST(queue.list(filter).jobs.size() == 1u);
    // The same due time of the same plan cannot be queued twice.
    BOOST_CHECK_THROW(queue.enqueue({.folder = "photos", .plan = "alpha", .scheduled_for = due}),
                      core::Error);
}

BOOST_AUTO_TEST_CASE(missed_due_times_fire_once_with_the_earliest_and_the_next_is_after_now) {
    plans.create(spec_of("docs", "docs", "@every 60s"));
    const auto missed =
        std::chrono::floor<std::chrono::minutes>(core::now_utc()) - 1h;  // 60 due times ago
    set_due("docs", missed);
    const auto fired = plans.fire_due(10);
    BOOST_REQUIRE(fired.size() == 1u);
    BOOST_TEST(fired[0].plan == "docs");
    BOOST_TEST(fired[0].folder == "docs");
    BOOST_TEST((fired[0].scheduled_for == missed));
    const auto job = fired[0].job.value();
    BOOST_TEST((job.kind == JobKind::backup));
    BOOST_TEST((job.state == JobState::queued));
    BOOST_TEST(job.plan.value() == "docs");
    BOOST_TEST((job.scheduled_for.value() == missed));
    BOOST_TEST((plans.find("docs")->next_run_at.value() > core::now_utc() - 1s));
    BOOST_TEST(jobs_of_plan("docs").size() == 1u);
    // Nothing more is due.
    BOOST_TEST(plans.fire_due(10).empty());
    BOOST_TEST(jobs_of_plan("docs").size() == 1u);
}

BOOST_AUTO_TEST_CASE(fire_due_takes_the_oldest_due_first_up_to_its_limit) {
    plans.create(spec_of("a", "a"));
    plans.create(spec_of("b", "b"));
    plans.create(spec_of("c", "c"));
    set_due("a", core::now_utc() - 1min);
    set_due("b", core::now_utc() - 3min);
    set_due("c", core::now_utc() - 2min);
    const auto first = plans.fire_due(2);
    BOOST_REQUIRE(first.size() == 2u);
    BOOST_TEST(first[0].plan == "b");
    BOOST_TEST(first[1].plan == "c");
    const auto second = plans.fire_due(2);
    BOOST_REQUIRE(second.size() == 1u);
    BOOST_TEST(second[0].plan == "a");
}

BOOST_AUTO_TEST_CASE(a_due_time_while_the_previous_run_is_unfinished_is_skipped_and_recorded) {
    plans.create(spec_of("docs", "docs"));
    set_due("docs", core::now_utc() - 2min);
    const auto first = plans.fire_due(10);
    BOOST_REQUIRE(first.size() == 1u);
    const auto queued = first[0].job.value();

    const auto due = std::chrono::floor<std::chrono::seconds>(core::now_utc()) - 1min;
    set_due("docs", due);
    const auto second = plans.fire_due(10);
    BOOST_REQUIRE(second.size() == 1u);
    BOOST_TEST(!second[0].job.has_value());
    BOOST_TEST((second[0].scheduled_for == due));
    BOOST_TEST(jobs_of_plan("docs").size() == 1u);
    const auto plan = plans.find("docs").value();
    BOOST_TEST(plan.runs_skipped == 1);
    BOOST_TEST((plan.next_run_at.value() > due));
    const auto records = schedule_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].job_id.value() == queued.id);
    BOOST_TEST(records[0].folder.value() == "docs");
    BOOST_TEST(records[0].message == "skipped: previous run still running");

    // Running counts as unfinished too; once it ended, the next due time fires.
    const auto claim = queue.claim(kNode).value();
    set_due("docs", due + 1s);
    BOOST_TEST(!plans.fire_due(10).at(0).job.has_value());
    BOOST_TEST(plans.find("docs")->runs_skipped == 2);
    BOOST_REQUIRE(queue.finish(claim, failure(core::ErrorCode::file_unreadable, "x")));
    set_due("docs", due + 2s);
    BOOST_TEST(plans.fire_due(10).at(0).job.has_value());
    BOOST_TEST(plans.find("docs")->runs_skipped == 2);
}

// Only a clock that went back brings a due time round again: the unique key on (plan,
// scheduled_for) refuses a second job, and the due time is recorded as skipped, not lost.
BOOST_AUTO_TEST_CASE(a_due_time_that_already_made_a_job_is_skipped_and_recorded) {
    plans.create(spec_of("docs", "docs"));
    const auto due = std::chrono::floor<std::chrono::seconds>(core::now_utc()) - 1min;
    set_due("docs", due);
    const auto first = plans.fire_due(10).at(0).job.value();
    run(first.id, failure(core::ErrorCode::file_unreadable, "x"));  // no longer unfinished

    set_due("docs", due);
    const auto again = plans.fire_due(10);
    BOOST_REQUIRE(again.size() == 1u);
    BOOST_TEST(!again[0].job.has_value());
    BOOST_TEST((again[0].scheduled_for == due));
    BOOST_TEST(again[0].skipped == "skipped: a run for this due time already exists");
    BOOST_TEST(jobs_of_plan("docs").size() == 1u);
    const auto plan = plans.find("docs").value();
    BOOST_TEST((plan.next_run_at.value() > core::now_utc() - 1s));  // advanced: not retried
    BOOST_TEST(plan.runs_skipped == 0);                             // counts unfinished runs only
    const auto records = schedule_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].message == again[0].skipped);
    BOOST_TEST(records[0].job_id.value() == first.id);
    BOOST_TEST(plans.fire_due(10).empty());
}

// A stored schedule or zone this binary cannot read (another version wrote it, tzdata dropped
// the zone) is never fired on a guess: the plan stops being due, with one record saying why,
// and the plans behind it still fire.
BOOST_AUTO_TEST_CASE(a_plan_whose_schedule_no_longer_parses_stops_being_due_with_a_record) {
    plans.create(spec_of("bad-schedule", "docs"));
    plans.create(spec_of("bad-zone", "music"));
    plans.create(spec_of("fine", "photos"));
    scratch.execute("UPDATE plans SET schedule = 'every full moon' WHERE name = 'bad-schedule'");
    scratch.execute("UPDATE plans SET time_zone = 'Mars/Olympus' WHERE name = 'bad-zone'");
    const auto due = std::chrono::floor<std::chrono::seconds>(core::now_utc()) - 1min;
    set_due("bad-schedule", due - 2s);
    set_due("bad-zone", due - 1s);
    set_due("fine", due);

    const auto fired = plans.fire_due(10);
    BOOST_REQUIRE(fired.size() == 3u);
    BOOST_TEST(fired[0].plan == "bad-schedule");
    BOOST_TEST(!fired[0].job.has_value());
    BOOST_TEST((fired[0].scheduled_for == due - 2s));
    BOOST_TEST(fired[0].skipped.starts_with("skipped: the schedule no longer parses: "));
    BOOST_TEST(fired[1].plan == "bad-zone");
    BOOST_TEST(!fired[1].job.has_value());
    BOOST_TEST(fired[1].skipped ==
               "skipped: the schedule no longer parses: unknown time zone 'Mars/Olympus'");
    BOOST_TEST(fired[2].plan == "fine");
    BOOST_TEST(fired[2].job.has_value());
    BOOST_TEST(fired[2].skipped.empty());

    const auto broken = plans.find("bad-schedule").value();
    BOOST_TEST(!broken.next_run_at.has_value());
    BOOST_TEST(broken.spec.enabled);
    BOOST_TEST(broken.runs_skipped == 0);
    BOOST_TEST(!plans.find("bad-zone")->next_run_at.has_value());
    BOOST_TEST(jobs_of_plan("bad-schedule").empty());
    const auto records = schedule_records();
    BOOST_REQUIRE(records.size() == 2u);
    std::set<std::string> messages;
    for (const auto& record : records) {
        BOOST_TEST((record.status == core::AuditStatus::failed));
        BOOST_TEST(!record.job_id.has_value());
        messages.insert(record.message);
    }
    BOOST_TEST((messages == std::set<std::string>{fired[0].skipped, fired[1].skipped}));

    // Not due any more: no record at every tick. A replace with a valid schedule fixes it.
    BOOST_TEST(plans.fire_due(10).empty());
    BOOST_TEST(schedule_records().size() == 2u);
    BOOST_TEST(plans.replace(spec_of("bad-schedule", "docs"))->next_run_at.has_value());
}

BOOST_AUTO_TEST_CASE(a_plan_backup_that_succeeds_queues_a_prune_for_the_plan) {
    plans.create(spec_of("docs", "docs", "@every 3600s", {.keep_last = 2}));
    const auto backup = queue.enqueue({.folder = "docs", .plan = "docs"});
    run(backup.id, success(""));
    const auto jobs = jobs_of_plan("docs");
    BOOST_REQUIRE(jobs.size() == 2u);
    const auto prune = jobs[0];  // newest first
    BOOST_TEST((prune.kind == JobKind::prune));
    BOOST_TEST((prune.state == JobState::queued));
    BOOST_TEST(prune.folder == "docs");
    BOOST_TEST(prune.plan.value() == "docs");
    BOOST_TEST(!prune.snapshot_id.has_value());
    BOOST_TEST(!prune.scheduled_for.has_value());

    // The prune succeeds with what it did, as the worker reports it.
    core::JobOutcome outcome;
    outcome.prune = core::PruneReport{3, 2};
    run(prune.id, outcome);
    const auto done = queue.find(prune.id).value();
    BOOST_TEST((done.state == JobState::succeeded));
    BOOST_TEST((done.prune.value() == core::PruneReport{3, 2}));
    BOOST_TEST(!queue.find(backup.id)->prune.has_value());
    const auto records = all_audit_records();
    const auto record = std::find_if(records.begin(), records.end(),
                                     [&](const auto& r) { return r.job_id == prune.id; });
    BOOST_REQUIRE(record != records.end());
    BOOST_TEST((record->action == core::AuditAction::prune));
    BOOST_TEST((record->status == core::AuditStatus::success));
    BOOST_TEST(record->message == "removed 3, kept 2");

    // With that prune ended, the next success queues a new one.
    const auto next = queue.enqueue({.folder = "docs", .plan = "docs"});
    run(next.id, success(""));
    const auto after = jobs_of_plan("docs");
    BOOST_REQUIRE(after.size() == 4u);
    BOOST_TEST((after[0].kind == JobKind::prune));
    BOOST_TEST((after[0].state == JobState::queued));
    BOOST_TEST(queue.stats().prunes.total == 2);
}

BOOST_AUTO_TEST_CASE(no_prune_is_queued_while_one_waits_or_without_rules_or_plan_or_success) {
    // A prune already queued for the plan: the next success queues none.
    plans.create(spec_of("docs", "docs", "@every 3600s", {.keep_within = "48h"}));
    const auto a = queue.enqueue({.folder = "docs", .plan = "docs"});
    const auto b = queue.enqueue({.folder = "docs", .plan = "docs"});
    run(a.id, success(""));
    run(b.id, success(""));  // b was queued before the prune: it is claimed first
    int prunes = 0;
    for (const auto& job : jobs_of_plan("docs")) prunes += job.kind == JobKind::prune;
    BOOST_TEST(prunes == 1);
    run(jobs_of_plan("docs")[0].id, core::JobOutcome{.prune = core::PruneReport{0, 2}});

    // Retention that keeps everything, a failed backup, a plan since deleted, no plan: none.
    plans.create(spec_of("keep-all", "photos"));
    const auto c = queue.enqueue({.folder = "photos", .plan = "keep-all"});
    run(c.id, success(""));
    plans.create(spec_of("pruned-plan", "music", "@every 3600s", {.keep_last = 1}));
    const auto d = queue.enqueue({.folder = "music", .plan = "pruned-plan"});
    run(d.id, failure(core::ErrorCode::file_unreadable, "unreadable"));
    const auto e = queue.enqueue({.folder = "music", .plan = "gone"});
    run(e.id, success(""));
    const auto f = queue.enqueue({.folder = "music"});
    run(f.id, success(""));
    core::JobFilter filter;
    filter.kind = JobKind::prune;
    const auto all_prunes = queue.list(filter).jobs;
    BOOST_REQUIRE(all_prunes.size() == 1u);
    BOOST_TEST(all_prunes[0].plan.value() == "docs");
}

// Two daemons (separate connection pools) fire one `@every 1s` plan in loops while a worker
// runs its jobs: every due time becomes exactly one job or one skip record.
BOOST_AUTO_TEST_CASE(two_daemons_fire_each_due_time_exactly_once) {
    constexpr std::size_t kDueTimes = 30;
    plans.create(spec_of("every-second", "docs", "@every 1s"));
    auto node_a = scratch.open({.pool_size = 2});
    auto node_b = scratch.open({.pool_size = 2});
    store::SqlPlanStore plans_a(*node_a);
    store::SqlPlanStore plans_b(*node_b);

    std::mutex mutex;
    std::vector<core::FiredRun> fired;
    std::atomic<bool> done{false};
    std::atomic<int> errors{0};
    const auto deadline = std::chrono::steady_clock::now() + 38s;
    const auto daemon = [&](store::SqlPlanStore& store) {
        while (!done && std::chrono::steady_clock::now() < deadline) {
            try {
                for (auto& run : store.fire_due(10)) {
                    std::lock_guard lock(mutex);
                    fired.push_back(std::move(run));
                    if (fired.size() >= kDueTimes) done = true;
                }
            } catch (const std::exception& e) {
                ++errors;
                BOOST_TEST_MESSAGE("fire_due: " << e.what());
            }
            std::this_thread::sleep_for(20ms);
        }
    };
    const auto worker = [&] {
        while (!done && std::chrono::steady_clock::now() < deadline) {
            try {
                if (auto claim = queue.claim(kNode)) {
                    auto outcome =
                        success(claim->job.folder + "/s-" + std::to_string(claim->job.id));
                    if (!queue.finish(*claim, outcome)) ++errors;
                    continue;
                }
            } catch (const std::exception& e) {
                ++errors;
                BOOST_TEST_MESSAGE("worker: " << e.what());
            }
            std::this_thread::sleep_for(20ms);
        }
    };
    std::thread a(daemon, std::ref(plans_a));
    std::thread b(daemon, std::ref(plans_b));
    std::thread w(worker);
    a.join();
    b.join();
    w.join();

    BOOST_TEST(errors.load() == 0);
    BOOST_REQUIRE(fired.size() >= kDueTimes);
    std::set<core::Timestamp> due_times;
    std::size_t fired_jobs = 0;
    for (const auto& run : fired) {
        due_times.insert(run.scheduled_for);
        fired_jobs += run.job.has_value();
    }
    BOOST_TEST(due_times.size() == fired.size());  // no due time fired twice
    const auto jobs = jobs_of_plan("every-second");
    const auto skips = schedule_records();
    BOOST_TEST(jobs.size() == fired_jobs);
    BOOST_TEST(jobs.size() + skips.size() == due_times.size());
    BOOST_TEST(jobs.size() > 0u);  // the worker kept up often enough for runs to happen
    // In id order (jobs are newest first), due times strictly increase.
    for (std::size_t i = 1; i < jobs.size(); ++i) {
        BOOST_TEST((jobs[i - 1].scheduled_for.value() > jobs[i].scheduled_for.value()));
    }
    BOOST_TEST(plans.find("every-second")->runs_skipped == static_cast<std::int64_t>(skips.size()));
}

BOOST_AUTO_TEST_SUITE_END()
