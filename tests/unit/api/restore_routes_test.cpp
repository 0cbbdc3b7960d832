// Restores, verifies and the job routes over the fakes: 202 with the job and its Location, the
// defaults, every bad input with its precise error (a failed job when the request named a
// snapshot, nothing otherwise), jobs of every kind under /api/v1/jobs and only backups under
// /api/v1/backups, and the statistics per kind.
#include <boost/test/unit_test.hpp>

#include "printing.hpp"
#include "route_fixture.hpp"

using namespace backupd;
using testing::contains;
using testing::header;

namespace {

using Api = testing::RouteFixture;

// A backup (1), a restore (2) and a verify (3).
void three_kinds(Api& api) {
    api.call("POST", "/api/v1/backups", R"({"folder": "photos"})");
    api.call("POST", "/api/v1/restores", R"({"snapshot": 17})");
    api.call("POST", "/api/v1/snapshots/17/verify");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(restore_routes)

BOOST_AUTO_TEST_CASE(a_restore_answers_202_with_the_job_its_defaults_and_location) {
    Api api;
    const auto response = api.call("POST", "/api/v1/restores", R"({"snapshot": 17})");
    BOOST_TEST(response.status == 202);
    BOOST_TEST(header(response, "Location") == "/api/v1/jobs/1");
    for (const char* field :
         {R"("kind":"restore","folder":"photos","state":"queued")",
          R"("snapshot":"photos/20261124T140523Z-17","snapshot_id":17,)",
          R"("restore":{"paths":[],"target":"photos/20261124T140523Z-17","overwrite":"never",)"
          R"("in_place":false})"}) {
        BOOST_TEST(contains(response.body, field), field);
    }
    BOOST_TEST((api.jobs.jobs().at(0).kind == core::JobKind::restore));
}

BOOST_AUTO_TEST_CASE(a_restore_carries_paths_target_and_overwrite) {
    Api api;
    const auto response =
        api.call("POST", "/api/v1/restores",
                 R"({"snapshot": 17, "paths": ["sub", "a.txt"], "target": "back",)"
                 R"( "overwrite": "if-changed"})");
    BOOST_TEST(response.status == 202);
    BOOST_REQUIRE(api.jobs.jobs().at(0).restore.has_value());
    BOOST_TEST((*api.jobs.jobs().at(0).restore ==
                core::RestoreSpec{{"sub", "a.txt"}, "back", core::Overwrite::if_changed, false}));
}

BOOST_AUTO_TEST_CASE(bodies_that_name_no_snapshot_answer_400_and_create_nothing) {
    Api api;
    for (const char* body : {"not json", "[17]", "{}", R"({"snapshot": "17"})",
                             R"({"snapshot": 0})", R"({"snapshot": 1.5})"}) {
        const auto response = api.call("POST", "/api/v1/restores", body);
        BOOST_TEST(response.status == 400, body);
        BOOST_TEST(contains(response.body, R"("code":"invalid_request")"), body);
    }
    BOOST_TEST(api.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(every_bad_input_naming_a_snapshot_is_a_failed_restore_job) {
    const std::tuple<const char*, int, const char*> cases[] = {
        {R"({"snapshot": 99})", 404, "not_found"},
        {R"({"snapshot": 17, "overwrite": "sometimes"})", 400, "invalid_request"},
        {R"({"snapshot": 17, "colour": "red"})", 400, "invalid_request"},
        {R"({"snapshot": 17, "snapshot": 17})", 400, "invalid_request"},
        {R"({"snapshot": 17, "paths": "sub"})", 400, "invalid_request"},
        {R"({"snapshot": 17, "in_place": "yes"})", 400, "invalid_request"},
        {R"({"snapshot": 17, "paths": ["../x"]})", 400, "invalid_path"},
        {R"({"snapshot": 17, "paths": ["/etc"]})", 400, "invalid_path"},
        {R"({"snapshot": 17, "paths": ["a//b"]})", 400, "invalid_path"},
        {R"({"snapshot": 17, "paths": ["a\u0000b"]})", 400, "invalid_path"},
        {R"({"snapshot": 17, "paths": ["link/b.bin"]})", 403, "symlink_in_path"},
        {R"({"snapshot": 17, "paths": ["sub/none"]})", 404, "not_found"},
        {R"({"snapshot": 17, "target": "../../etc"})", 400, "invalid_path"},
        {R"({"snapshot": 17, "target": "/tmp"})", 400, "invalid_path"},
        {R"({"snapshot": 17, "in_place": true})", 400, "invalid_request"},
    };
    for (const auto& [body, status, code] : cases) {
        Api api;
        const auto response = api.call("POST", "/api/v1/restores", body);
        BOOST_TEST(response.status == status, body);
        BOOST_TEST(contains(response.body, std::string(R"({"error":{"code":")") + code), body);
        BOOST_TEST(contains(response.body, R"("kind":"restore")"), body);
        BOOST_TEST(contains(response.body, R"("state":"failed")"), body);
        BOOST_TEST(api.jobs.jobs().size() == 1u, body);
    }
}

BOOST_AUTO_TEST_CASE(an_in_place_restore_with_explicit_overwrite_is_queued) {
    Api api;
    const auto response = api.call("POST", "/api/v1/restores",
                                   R"({"snapshot": 17, "in_place": true, "overwrite": "always"})");
    BOOST_TEST(response.status == 202);
    BOOST_TEST(
        contains(response.body, R"("target":"photos","overwrite":"always","in_place":true)"));
}

BOOST_AUTO_TEST_CASE(restore_waits_like_backups_and_answers_the_jobs_own_error) {
    Api api;
    const auto placeholder = api.call("POST", "/api/v1/restores?wait=5", R"({"snapshot": 17})");
    BOOST_REQUIRE(placeholder.deferred);
    BOOST_TEST(placeholder.deferred->answer(true)->status == 202);
    const auto claim = api.jobs.claim({"node", "1"}).value();
    BOOST_TEST(api.jobs.finish(
        claim, {.state = core::JobState::failed,
                .error = core::JobError{core::ErrorCode::restore_conflict, "a.txt"}}));
    const auto answer = placeholder.deferred->answer(false);
    BOOST_REQUIRE(answer.has_value());
    BOOST_TEST(answer->status == 409);
    BOOST_TEST(contains(answer->body, R"("code":"restore_conflict")"));
    BOOST_TEST(api.call("POST", "/api/v1/restores?wait=x", R"({"snapshot": 17})").status == 400);
}

BOOST_AUTO_TEST_CASE(a_restore_body_must_be_json) {
    Api api;
    api::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v1/restores";
    request.content_type = "text/plain";
    request.body = R"({"snapshot": 17})";
    BOOST_TEST(api.router.route(request).status == 415);
    BOOST_TEST(api.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(verify_answers_202_with_a_verify_job) {
    Api api;
    const auto response = api.call("POST", "/api/v1/snapshots/17/verify");
    BOOST_TEST(response.status == 202);
    BOOST_TEST(header(response, "Location") == "/api/v1/jobs/1");
    BOOST_TEST(contains(response.body, R"("kind":"verify","folder":"photos","state":"queued")"));
    BOOST_TEST(contains(response.body, R"("snapshot_id":17)"));
    BOOST_TEST(!contains(response.body, R"("restore":)"));
}

BOOST_AUTO_TEST_CASE(verify_of_an_unknown_snapshot_is_a_failed_job_and_a_bad_id_is_400) {
    Api api;
    const auto unknown = api.call("POST", "/api/v1/snapshots/99/verify");
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(contains(unknown.body, R"("kind":"verify")"));
    BOOST_TEST(api.jobs.jobs().size() == 1u);
    BOOST_TEST(api.call("POST", "/api/v1/snapshots/x/verify").status == 400);
    BOOST_TEST(api.jobs.jobs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_finished_verify_shows_its_findings) {
    Api api;
    api.call("POST", "/api/v1/snapshots/17/verify");
    const auto claim = api.jobs.claim({"node", "1"}).value();
    core::VerifyReport report{.checked = 3, .mismatched = 1, .missing = 1, .paths = {"a", "b"}};
    BOOST_TEST(api.jobs.finish(
        claim, {.state = core::JobState::failed,
                .verify = report,
                .error = core::JobError{core::ErrorCode::verify_mismatch, "2 entries differ"}}));
    const auto job = api.call("GET", "/api/v1/jobs/1");
    BOOST_TEST(contains(job.body, R"("verify":{"checked":3,"mismatched":1,"missing":1,"extra":0,)"
                                  R"("paths":["a","b"]})"));
    BOOST_TEST(contains(job.body, R"("code":"verify_mismatch")"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(job_routes)

BOOST_AUTO_TEST_CASE(jobs_lists_every_kind_and_filters_by_kind) {
    Api api;
    three_kinds(api);
    const auto all = api.call("GET", "/api/v1/jobs");
    BOOST_TEST(all.status == 200);
    for (const char* kind : {"backup", "restore", "verify"})
        BOOST_TEST(contains(all.body, std::string(R"("kind":")") + kind + "\""), kind);
    const auto restores = api.call("GET", "/api/v1/jobs?kind=restore");
    BOOST_TEST(contains(restores.body, R"("id":2,"kind":"restore")"));
    BOOST_TEST(!contains(restores.body, R"("kind":"backup")"));
    BOOST_TEST(!contains(restores.body, R"("kind":"verify")"));
    const auto paged = api.call("GET", "/api/v1/jobs?limit=1&state=queued");
    BOOST_TEST(contains(paged.body, R"("id":3,)"));
    BOOST_TEST(contains(paged.body, R"("next":"3")"));
    BOOST_TEST(api.call("GET", "/api/v1/jobs?kind=copy").status == 400);
}

BOOST_AUTO_TEST_CASE(jobs_shows_and_cancels_every_kind) {
    Api api;
    three_kinds(api);
    BOOST_TEST(contains(api.call("GET", "/api/v1/jobs/3").body, R"("kind":"verify")"));
    BOOST_TEST(api.call("GET", "/api/v1/jobs/9").status == 404);
    BOOST_TEST(api.call("GET", "/api/v1/jobs/x").status == 400);
    const auto cancelled = api.call("DELETE", "/api/v1/jobs/2");
    BOOST_TEST(cancelled.status == 200);
    BOOST_TEST(contains(cancelled.body, R"("state":"cancelled")"));
    BOOST_TEST(api.call("DELETE", "/api/v1/jobs/2").status == 409);
}

BOOST_AUTO_TEST_CASE(backup_routes_show_only_backups) {
    Api api;
    three_kinds(api);
    const auto list = api.call("GET", "/api/v1/backups");
    BOOST_TEST(contains(list.body, R"("id":1,"kind":"backup")"));
    BOOST_TEST(!contains(list.body, R"("kind":"restore")"));
    BOOST_TEST(!contains(list.body, R"("kind":"verify")"));
    BOOST_TEST(api.call("GET", "/api/v1/backups/2").status == 404);
    BOOST_TEST(api.call("DELETE", "/api/v1/backups/3").status == 404);
    BOOST_TEST((api.jobs.jobs().at(2).state == core::JobState::queued));  // not cancelled
    BOOST_TEST(api.call("GET", "/api/v1/backups?kind=restore").status == 400);
    BOOST_TEST(api.call("GET", "/api/v1/backups/1").status == 200);
}

BOOST_AUTO_TEST_CASE(stats_keep_the_backup_counts_and_add_restores_and_verifies) {
    Api api;
    three_kinds(api);
    api.call("POST", "/api/v1/restores", R"({"snapshot": 99})");  // refused: failed
    const auto response = api.call("GET", "/api/v1/stats");
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body.starts_with(R"({"total":1,"succeeded":0,"failed":0,"queued":1,)"));
    BOOST_TEST(contains(response.body, R"("restores":{"total":2,"succeeded":0,"failed":1,)"
                                       R"("queued":1,"running":0,"cancelled":0})"));
    BOOST_TEST(contains(response.body, R"("verifies":{"total":1,"succeeded":0,"failed":0,)"
                                       R"("queued":1,"running":0,"cancelled":0})"));
}

BOOST_AUTO_TEST_SUITE_END()
