// The plan routes over the fakes: create, list, read, replace, delete, run now, prune and its
// preview; deleting, pinning and unpinning a snapshot; the job list's plan filter, the prune
// counts in the stats and the plan series in /metrics. Every refused body stores nothing.
#include <boost/test/unit_test.hpp>

#include "backupd/api/plan_json.hpp"
#include "printing.hpp"
#include "route_fixture.hpp"

using namespace backupd;
using testing::contains;
using testing::header;

namespace {

using Api = testing::RouteFixture;

constexpr const char* kPlan =
    R"({"name": "photos-nightly", "folder": "photos", "schedule": "@every 60s",)"
    R"( "time_zone": "Europe/Paris", "retention": {"keep_last": 3, "keep_daily": 7,)"
    R"( "keep_within": "30s"}, "enabled": true})";

// A body like kPlan with one top-level member replaced or added ("key": value).
std::string plan_body(std::string_view extra) {
    return R"({"name": "p", "folder": "photos", "schedule": "@every 60s", )" + std::string(extra) +
           "}";
}

std::string error_code(const api::HttpResponse& response) {
    const auto at = response.body.find(R"("code":")");
    if (at == std::string::npos) return "";
    const auto begin = at + 8;
    return response.body.substr(begin, response.body.find('"', begin) - begin);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plan_routes)

BOOST_AUTO_TEST_CASE(creating_a_plan_answers_201_with_its_location_and_the_plan) {
    Api api;
    const auto response = api.call("POST", "/api/v1/plans", kPlan);
    BOOST_TEST(response.status == 201, response.body);
    BOOST_TEST(header(response, "Location") == "/api/v1/plans/photos-nightly");
    for (const char* field :
         {R"({"name":"photos-nightly","folder":"photos","schedule":"@every 60s",)"
          R"("time_zone":"Europe/Paris",)",
          R"("retention":{"keep_last":3,"keep_daily":7,"keep_within":"30s"},"enabled":true,)",
          R"("created_at":")", R"("updated_at":")", R"("next_run_at":")",
          R"("last_run":null,"last_success_at":null,"snapshots":0,"runs_skipped":0})"}) {
        BOOST_TEST(contains(response.body, field), field << " in " << response.body);
    }
    const auto stored = api.plans.find("photos-nightly");
    BOOST_REQUIRE(stored.has_value());
    BOOST_TEST(stored->spec.retention.keep_daily.value_or(-1) == 7);
    BOOST_TEST(!stored->spec.retention.keep_hourly.has_value());
    BOOST_TEST(stored->spec.time_zone == "Europe/Paris");
}

BOOST_AUTO_TEST_CASE(optional_fields_default_to_utc_enabled_and_no_retention) {
    Api api;
    const auto response = api.call("POST", "/api/v1/plans", plan_body(R"("enabled": false)"));
    BOOST_TEST(response.status == 201, response.body);
    BOOST_TEST(contains(response.body, R"("time_zone":"UTC","retention":{},"enabled":false,)"));
    BOOST_TEST(contains(response.body, R"("next_run_at":null)"), response.body);
}

BOOST_AUTO_TEST_CASE(a_duplicate_name_answers_409_and_keeps_the_first_plan) {
    Api api;
    BOOST_TEST(api.call("POST", "/api/v1/plans", kPlan).status == 201);
    const std::string again =
        R"({"name": "photos-nightly", "folder": "other", "schedule": "@every 5s"})";
    const auto response = api.call("POST", "/api/v1/plans", again);
    BOOST_TEST(response.status == 409);
    BOOST_TEST(error_code(response) == "plan_exists");
    BOOST_TEST(contains(response.body, "photos-nightly"));
    BOOST_TEST(api.plans.find("photos-nightly")->spec.folder == "photos");
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_refused_naming_them_and_nothing_is_stored) {
    Api api;
    const std::pair<std::string, const char*> cases[] = {
        {plan_body(R"("cron": "x")"), "unknown field 'cron'"},
        {plan_body(R"("retention": {"keep_forever": 1})"),
         "unknown field 'retention.keep_forever'"},
        {plan_body(R"("folder": "again")"), "'folder' appears twice"},
    };
    for (const auto& [body, reason] : cases) {
        const auto response = api.call("POST", "/api/v1/plans", body);
        BOOST_TEST(response.status == 400, body);
        BOOST_TEST(error_code(response) == "invalid_request", body);
        BOOST_TEST(contains(response.body, reason), body << " -> " << response.body);
    }
    BOOST_TEST(api.plans.list().empty());
}

BOOST_AUTO_TEST_CASE(wrong_json_types_are_refused_naming_the_field_and_nothing_is_stored) {
    Api api;
    const std::pair<std::string, const char*> cases[] = {
        {plan_body(R"("retention": {"keep_daily": "7"})"), "retention.keep_daily must be"},
        {plan_body(R"("retention": {"keep_daily": 3.5})"), "retention.keep_daily must be"},
        {plan_body(R"("retention": {"keep_daily": 3.0})"), "retention.keep_daily must be"},
        {plan_body(R"("retention": {"keep_hourly": -1})"), "retention.keep_hourly must be"},
        {plan_body(R"("retention": {"keep_last": 1e30})"), "retention.keep_last must be"},
        {plan_body(R"("retention": {"keep_within": 48})"), "retention.keep_within must be"},
        {plan_body(R"("retention": [])"), R"(\"retention\" must be an object)"},
        {plan_body(R"("enabled": "yes")"), R"(\"enabled\" must be true or false)"},
        {plan_body(R"("time_zone": 1)"), R"(\"time_zone\" must be a string)"},
        {R"({"name": 5, "folder": "photos", "schedule": "@every 60s"})",
         R"(\"name\" must be a string)"},
        {R"({"name": "p", "schedule": "@every 60s"})", R"(\"folder\" is required)"},
        {R"({"name": "p", "folder": "photos"})", R"(\"schedule\" is required)"},
        {R"({"folder": "photos", "schedule": "@every 60s"})", R"(\"name\" is required)"},
        {"[]", "must be a JSON object"},
        {"{", "not valid JSON"},
    };
    for (const auto& [body, reason] : cases) {
        const auto response = api.call("POST", "/api/v1/plans", body);
        BOOST_TEST(response.status == 400, body);
        BOOST_TEST(error_code(response) == "invalid_request", body);
        BOOST_TEST(contains(response.body, reason), body << " -> " << response.body);
    }
    BOOST_TEST(api.plans.list().empty());
}

BOOST_AUTO_TEST_CASE(values_the_plan_rules_refuse_answer_400_and_nothing_is_stored) {
    Api api;
    const std::pair<std::string, const char*> cases[] = {
        {R"({"name": "Photos", "folder": "photos", "schedule": "@every 60s"})", "name must be"},
        {plan_body(R"("time_zone": "Mars/Olympus")"),
         "time_zone: unknown time zone 'Mars/Olympus'"},
        {plan_body(R"("retention": {"keep_within": "soon"})"),
         "retention.keep_within: 'soon' is not a duration"},
        {R"({"name": "p", "folder": "photos", "schedule": "61 * * * *"})", "schedule: "},
        {R"({"name": "p", "folder": "photos", "schedule": "* * 31 2 *"})", "schedule: "},
    };
    for (const auto& [body, reason] : cases) {
        const auto response = api.call("POST", "/api/v1/plans", body);
        BOOST_TEST(response.status == 400, body);
        BOOST_TEST(error_code(response) == "invalid_request", body);
        BOOST_TEST(contains(response.body, reason), body << " -> " << response.body);
    }
    const auto folder = api.call("POST", "/api/v1/plans",
                                 R"({"name": "p", "folder": "..", "schedule": "@every 60s"})");
    BOOST_TEST(folder.status == 400);
    BOOST_TEST(error_code(folder) == "invalid_folder_name");
    BOOST_TEST(api.plans.list().empty());
}

BOOST_AUTO_TEST_CASE(a_body_that_is_not_json_answers_415) {
    Api api;
    api::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v1/plans";
    request.content_type = "text/plain";
    request.body = kPlan;
    const auto response = api.router.route(request);
    BOOST_TEST(response.status == 415);
    BOOST_TEST(api.plans.list().empty());
}

BOOST_AUTO_TEST_CASE(plans_are_listed_by_name_and_read_one_by_one) {
    Api api;
    BOOST_TEST(api.call("GET", "/api/v1/plans").body == R"({"plans":[]})");
    for (const char* name : {"zeta", "alpha", "mid"}) {
        const auto created = api.call("POST", "/api/v1/plans",
                                      R"({"name": ")" + std::string(name) +
                                          R"(", "folder": "photos", "schedule": "@every 60s"})");
        BOOST_TEST(created.status == 201);
    }
    const auto list = api.call("GET", "/api/v1/plans");
    BOOST_TEST(list.status == 200);
    const auto alpha = list.body.find(R"("name":"alpha")");
    const auto mid = list.body.find(R"("name":"mid")");
    const auto zeta = list.body.find(R"("name":"zeta")");
    BOOST_TEST((alpha < mid && mid < zeta && zeta != std::string::npos), list.body);
    const auto one = api.call("GET", "/api/v1/plans/mid");
    BOOST_TEST(one.status == 200);
    BOOST_TEST(one.body.starts_with(R"({"name":"mid",)"));
    const auto none = api.call("GET", "/api/v1/plans/nope");
    BOOST_TEST(none.status == 404);
    BOOST_TEST(error_code(none) == "not_found");
    BOOST_TEST(contains(none.body, "No such plan: nope"));
}

BOOST_AUTO_TEST_CASE(a_plan_shows_its_last_run_last_success_and_counts) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    const core::Timestamp at{std::chrono::seconds{1'764'000'000}};
    api.plans.update("photos-nightly", [&](core::Plan& plan) {
        plan.last_run = core::PlanRun{42, core::JobState::succeeded, at};
        plan.last_success_at = at;
        plan.snapshots = 5;
        plan.runs_skipped = 1;
    });
    const auto response = api.call("GET", "/api/v1/plans/photos-nightly");
    BOOST_TEST(contains(response.body, R"("last_run":{"job_id":42,"state":"succeeded",)"
                                       R"("at":"2025-11-24T16:00:00.000000Z"},)"
                                       R"("last_success_at":"2025-11-24T16:00:00.000000Z",)"
                                       R"("snapshots":5,"runs_skipped":1})"),
               response.body);
}

BOOST_AUTO_TEST_CASE(put_replaces_the_plan_with_the_name_from_the_path) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    const auto response =
        api.call("PUT", "/api/v1/plans/photos-nightly",
                 R"({"folder": "photos", "schedule": "@every 120s", "enabled": false})");
    BOOST_TEST(response.status == 200, response.body);
    BOOST_TEST(contains(response.body, R"("name":"photos-nightly")"));
    BOOST_TEST(contains(response.body, R"("schedule":"@every 120s")"));
    BOOST_TEST(contains(response.body, R"("retention":{})"));  // replaced, not merged
    const auto stored = api.plans.find("photos-nightly");
    BOOST_TEST(stored->spec.schedule == "@every 120s");
    BOOST_TEST(!stored->spec.enabled);
    BOOST_TEST(stored->spec.time_zone == "UTC");
    const auto same_name =
        api.call("PUT", "/api/v1/plans/photos-nightly",
                 R"({"name": "photos-nightly", "folder": "photos", "schedule": "@every 60s"})");
    BOOST_TEST(same_name.status == 200);
}

BOOST_AUTO_TEST_CASE(put_refuses_another_name_a_bad_body_or_an_unknown_plan_and_changes_nothing) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    const auto renamed =
        api.call("PUT", "/api/v1/plans/photos-nightly",
                 R"({"name": "other", "folder": "photos", "schedule": "@every 60s"})");
    BOOST_TEST(renamed.status == 400);
    BOOST_TEST(contains(renamed.body, "\\\"name\\\" must be the plan's name in the path"),
               renamed.body);
    const auto bad = api.call(
        "PUT", "/api/v1/plans/photos-nightly",
        R"({"folder": "photos", "schedule": "@every 5s", "retention": {"keep_last": -2}})");
    BOOST_TEST(bad.status == 400, bad.body);
    BOOST_TEST(contains(bad.body, "retention.keep_last must be a whole number >= 0"), bad.body);
    const auto stored = api.plans.find("photos-nightly");
    BOOST_TEST(stored->spec.schedule == "@every 60s");
    BOOST_TEST(stored->spec.retention.keep_last.value_or(0) == 3);
    const auto unknown =
        api.call("PUT", "/api/v1/plans/nope", R"({"folder": "photos", "schedule": "@every 60s"})");
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(!api.plans.find("nope").has_value());
}

BOOST_AUTO_TEST_CASE(delete_answers_204_without_a_body_then_404) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    const auto deleted = api.call("DELETE", "/api/v1/plans/photos-nightly");
    BOOST_TEST(deleted.status == 204);
    BOOST_TEST(deleted.body.empty());
    BOOST_TEST(!api.plans.find("photos-nightly").has_value());
    BOOST_TEST(api.call("DELETE", "/api/v1/plans/photos-nightly").status == 404);
}

BOOST_AUTO_TEST_CASE(run_now_answers_202_with_a_backup_job_of_the_plan) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    const auto response = api.call("POST", "/api/v1/plans/photos-nightly/run");
    BOOST_TEST(response.status == 202, response.body);
    BOOST_TEST(header(response, "Location") == "/api/v1/backups/1");
    BOOST_TEST(contains(response.body, R"("kind":"backup","folder":"photos","state":"queued")"));
    BOOST_TEST(contains(response.body, R"("plan":"photos-nightly","scheduled_for":null)"),
               response.body);
    const auto jobs = api.jobs.jobs();
    BOOST_REQUIRE(jobs.size() == 1u);
    BOOST_TEST(jobs[0].plan.value_or("") == "photos-nightly");
    BOOST_TEST(jobs[0].client_address.value_or("") == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(run_now_of_an_unknown_plan_is_404_and_of_a_missing_folder_a_failed_job) {
    Api api;
    const auto none = api.call("POST", "/api/v1/plans/nope/run");
    BOOST_TEST(none.status == 404);
    BOOST_TEST(api.jobs.jobs().empty());
    api.call("POST", "/api/v1/plans",
             R"({"name": "later", "folder": "later", "schedule": "@every 60s"})");
    const auto gone = api.call("POST", "/api/v1/plans/later/run");
    BOOST_TEST(gone.status == 404);
    BOOST_TEST(error_code(gone) == "no_such_directory");
    BOOST_TEST(contains(gone.body, R"("job":{"id":1,)"));
    BOOST_TEST((api.jobs.jobs().at(0).state == core::JobState::failed));
    BOOST_TEST(api.call("POST", "/api/v1/plans/later/run?force=1").status == 400);
}

BOOST_AUTO_TEST_CASE(a_dry_run_prune_lists_every_snapshot_of_the_folder_with_its_reasons) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    api.snapshots.add(18, "photos");
    api.snapshots.add(19, "music");
    BOOST_TEST(api.snapshots.set_pinned(18, true));
    const auto response = api.call("POST", "/api/v1/plans/photos-nightly/prune?dry_run=true");
    BOOST_TEST(response.status == 200, response.body);
    BOOST_TEST(response.body.starts_with(
        R"({"plan":"photos-nightly","folder":"photos","snapshots":[{"id":)"));
    BOOST_TEST(contains(response.body, R"({"id":18,"name":"20261124T140523Z-18","keep":)"));
    BOOST_TEST(contains(response.body, R"({"id":17,"name":"20261124T140523Z-17","keep":)"));
    BOOST_TEST(!contains(response.body, R"("id":19)"));
    // Exactly what the retention decides, in its order, with its reasons.
    const auto plan = api.plans.find("photos-nightly");
    const auto expected =
        core::apply_retention(api.snapshots.retention_candidates("photos"), plan->spec.retention,
                              *core::TimeZone::find("Europe/Paris"));
    BOOST_TEST(response.body == api::prune_preview_json(*plan, expected));
    BOOST_TEST(api.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(the_preview_writes_keep_and_every_reason) {
    core::Plan plan;
    plan.spec.name = "p";
    plan.spec.folder = "photos";
    const std::vector<core::RetentionDecision> decisions = {
        {9, "n9", true, {"newest", "last 3", "daily 2026-11-24"}}, {8, "n8", false, {}}};
    BOOST_TEST(
        api::prune_preview_json(plan, decisions) ==
        R"({"plan":"p","folder":"photos","snapshots":[)"
        R"({"id":9,"name":"n9","keep":true,"reasons":["newest","last 3","daily 2026-11-24"]},)"
        R"({"id":8,"name":"n8","keep":false,"reasons":[]}]})");
}

BOOST_AUTO_TEST_CASE(a_prune_without_dry_run_queues_a_prune_job_of_the_plan) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    for (const char* target : {"/api/v1/plans/photos-nightly/prune",
                               "/api/v1/plans/photos-nightly/prune?dry_run=false"}) {
        const auto response = api.call("POST", target);
        BOOST_TEST(response.status == 202, target << " -> " << response.body);
        BOOST_TEST(header(response, "Location").starts_with("/api/v1/jobs/"));
        BOOST_TEST(contains(response.body, R"("kind":"prune","folder":"photos")"));
        BOOST_TEST(contains(response.body, R"("plan":"photos-nightly")"));
    }
    BOOST_TEST(api.jobs.jobs().size() == 2u);
    BOOST_TEST((api.jobs.jobs().at(0).kind == core::JobKind::prune));
}

BOOST_AUTO_TEST_CASE(a_prune_with_a_bad_dry_run_or_of_an_unknown_plan_is_refused) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    for (const char* target : {"/api/v1/plans/photos-nightly/prune?dry_run=yes",
                               "/api/v1/plans/photos-nightly/prune?dry_run=",
                               "/api/v1/plans/photos-nightly/prune?keep=1"}) {
        const auto response = api.call("POST", target);
        BOOST_TEST(response.status == 400, target);
        BOOST_TEST(error_code(response) == "invalid_request", target);
    }
    BOOST_TEST(api.call("POST", "/api/v1/plans/nope/prune").status == 404);
    BOOST_TEST(api.call("POST", "/api/v1/plans/nope/prune?dry_run=true").status == 404);
    BOOST_TEST(api.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(without_a_plan_store_the_plan_routes_answer_404) {
    Api api;
    api.services.plans = nullptr;
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/plans"},
                                                          {"POST", "/api/v1/plans"},
                                                          {"GET", "/api/v1/plans/p"},
                                                          {"PUT", "/api/v1/plans/p"},
                                                          {"DELETE", "/api/v1/plans/p"},
                                                          {"POST", "/api/v1/plans/p/run"},
                                                          {"POST", "/api/v1/plans/p/prune"},
                                                          {"DELETE", "/api/v1/snapshots/17"}}) {
        const auto response = api.call(method, target, kPlan);
        BOOST_TEST(response.status == 404, method << " " << target);
    }
    BOOST_TEST(api.plans.list().empty());
    BOOST_TEST(api.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(deleting_a_snapshot_answers_202_with_a_prune_job_for_it) {
    Api api;
    const auto response = api.call("DELETE", "/api/v1/snapshots/17");
    BOOST_TEST(response.status == 202, response.body);
    BOOST_TEST(header(response, "Location") == "/api/v1/jobs/1");
    BOOST_TEST(contains(response.body, R"("kind":"prune","folder":"photos")"));
    BOOST_TEST(contains(response.body, R"("snapshot":"photos/20261124T140523Z-17")"));
    BOOST_TEST(contains(response.body, R"("snapshot_id":17)"));
    BOOST_TEST(api.jobs.jobs().at(0).snapshot_id.value_or(0) == 17);
}

BOOST_AUTO_TEST_CASE(deleting_an_unknown_or_pinned_snapshot_is_refused_and_queues_nothing) {
    Api api;
    const auto unknown = api.call("DELETE", "/api/v1/snapshots/99");
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(contains(unknown.body, "No such snapshot: 99"));
    BOOST_TEST(api.call("DELETE", "/api/v1/snapshots/x").status == 400);
    BOOST_TEST(api.call("POST", "/api/v1/snapshots/17/pin").status == 200);
    const auto pinned = api.call("DELETE", "/api/v1/snapshots/17");
    BOOST_TEST(pinned.status == 409);
    BOOST_TEST(error_code(pinned) == "snapshot_pinned");
    BOOST_TEST(api.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(pin_and_unpin_answer_the_snapshot_as_it_now_is) {
    Api api;
    const auto pinned = api.call("POST", "/api/v1/snapshots/17/pin");
    BOOST_TEST(pinned.status == 200);
    BOOST_TEST(contains(pinned.body, R"("id":17,)"));
    BOOST_TEST(contains(pinned.body, R"("pinned":true)"));
    BOOST_TEST(api.snapshots.find(17)->pinned);
    BOOST_TEST(contains(api.call("GET", "/api/v1/snapshots/17").body, R"("pinned":true)"));
    const auto unpinned = api.call("DELETE", "/api/v1/snapshots/17/pin");
    BOOST_TEST(unpinned.status == 200);
    BOOST_TEST(contains(unpinned.body, R"("pinned":false)"));
    BOOST_TEST(!api.snapshots.find(17)->pinned);
    BOOST_TEST(api.call("DELETE", "/api/v1/snapshots/17").status == 202);
}

BOOST_AUTO_TEST_CASE(pinning_an_unknown_snapshot_is_404_and_a_bad_id_400) {
    Api api;
    BOOST_TEST(api.call("POST", "/api/v1/snapshots/99/pin").status == 404);
    BOOST_TEST(api.call("DELETE", "/api/v1/snapshots/99/pin").status == 404);
    BOOST_TEST(api.call("POST", "/api/v1/snapshots/0/pin").status == 400);
    api.services.snapshots = nullptr;
    BOOST_TEST(api.call("POST", "/api/v1/snapshots/17/pin").status == 404);
}

BOOST_AUTO_TEST_CASE(the_job_list_filters_by_plan_and_by_kind_prune) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    api.call("POST", "/api/v1/backups", R"({"folder": "photos"})");  // job 1
    api.call("POST", "/api/v1/plans/photos-nightly/run");            // job 2
    api.call("POST", "/api/v1/plans/photos-nightly/prune");          // job 3
    const auto by_plan = api.call("GET", "/api/v1/jobs?plan=photos-nightly");
    BOOST_TEST(by_plan.status == 200);
    BOOST_TEST(contains(by_plan.body, R"("id":3,)"));
    BOOST_TEST(contains(by_plan.body, R"("id":2,)"));
    BOOST_TEST(!contains(by_plan.body, R"("id":1,)"));
    const auto prunes = api.call("GET", "/api/v1/jobs?kind=prune");
    BOOST_TEST(contains(prunes.body, R"("id":3,)"));
    BOOST_TEST(!contains(prunes.body, R"("id":2,)"));
    const auto other = api.call("GET", "/api/v1/jobs?plan=other");
    BOOST_TEST(other.body == R"({"jobs":[],"next":null})");
    const auto bad = api.call("GET", "/api/v1/jobs?kind=purge");
    BOOST_TEST(bad.status == 400);
    BOOST_TEST(contains(bad.body, "kind must be backup, restore, verify or prune"));
}

BOOST_AUTO_TEST_CASE(the_stats_count_prunes_beside_restores_and_verifies) {
    Api api;
    api.call("DELETE", "/api/v1/snapshots/17");
    const auto stats = api.call("GET", "/api/v1/stats");
    BOOST_TEST(stats.status == 200);
    BOOST_TEST(contains(stats.body, R"("total":0,)"));  // a prune is not a backup
    BOOST_TEST(contains(stats.body, R"("prunes":{"total":1,"succeeded":0,"failed":0,"queued":1,)"),
               stats.body);
}

BOOST_AUTO_TEST_CASE(metrics_show_every_plan_and_the_snapshots_per_folder) {
    Api api;
    api.call("POST", "/api/v1/plans", kPlan);
    api.call("POST", "/api/v1/plans",
             R"({"name": "off", "folder": "photos", "schedule": "@every 60s", "enabled": false})");
    api.plans.update("photos-nightly", [](core::Plan& plan) {
        plan.last_success_at = core::Timestamp{std::chrono::seconds{1'764'000'000}};
        plan.next_run_at = core::Timestamp{std::chrono::seconds{1'764'000'060}};
        plan.runs_skipped = 3;
    });
    api.snapshots.add(18, "photos");
    api.snapshots.add(30, "mu\"sic");
    const auto page = api.call("GET", "/metrics").body;
    for (const char* line :
         {"backupd_plan_last_success_timestamp_seconds{plan=\"photos-nightly\"} "
          "1764000000.000000\n",
          "backupd_plan_next_run_timestamp_seconds{plan=\"photos-nightly\"} 1764000060.000000\n",
          "backupd_plan_runs_skipped_total{plan=\"photos-nightly\"} 3\n",
          "backupd_plan_runs_skipped_total{plan=\"off\"} 0\n",
          "backupd_snapshots{folder=\"photos\"} 2\n", "backupd_snapshots{folder=\"mu\\\"sic\"} 1\n",
          "backupd_jobs_by_kind{kind=\"prune\",state=\"queued\"} 0\n"}) {
        BOOST_TEST(contains(page, line), line << " in " << page);
    }
    // A disabled plan has no next run, and none has succeeded: no sample rather than a 0.
    BOOST_TEST(!contains(page, "_timestamp_seconds{plan=\"off\"}"));
}

BOOST_AUTO_TEST_SUITE_END()
