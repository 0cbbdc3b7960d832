// The API handlers through the Router, over in-memory fakes of the ports: no socket, no
// database. What the handler adds to the core functions: parsing, status codes and JSON.
#include "backupd/api/api_routes.hpp"

#include <cstdint>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "printing.hpp"
#include "route_fixture.hpp"

using namespace backupd;
using testing::header;

namespace {

using Api = testing::RouteFixture;

}  // namespace

BOOST_AUTO_TEST_SUITE(api_routes)

BOOST_AUTO_TEST_CASE(post_backups_answers_202_with_the_job_and_its_location) {
    Api api;
    const auto response = api.call("POST", "/api/v1/backups", R"({"folder": "photos"})");
    BOOST_TEST(response.status == 202);
    BOOST_TEST(header(response, "Location") == "/api/v1/backups/1");
    BOOST_TEST(response.body.find(R"("state":"queued")") != std::string::npos);
    BOOST_TEST(response.route == "POST /api/v1/backups");
}

BOOST_AUTO_TEST_CASE(post_backups_of_a_missing_folder_answers_404_with_the_failed_job) {
    Api api;
    const auto response = api.call("POST", "/api/v1/backups", R"({"folder": "music"})");
    BOOST_TEST(response.status == 404);
    BOOST_TEST(response.body.find(R"("code":"no_such_directory")") != std::string::npos);
    BOOST_TEST(response.body.find(R"("state":"failed")") != std::string::npos);
    BOOST_TEST(api.jobs.jobs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(post_backups_with_a_bad_body_answers_400_and_creates_nothing) {
    Api api;
    BOOST_TEST(api.call("POST", "/api/v1/backups", R"({"folder": 3})").status == 400);
    BOOST_TEST(api.call("POST", "/api/v1/backups?wait=x", R"({"folder": "photos"})").status == 400);
    BOOST_TEST(api.jobs.jobs().empty());
}

BOOST_AUTO_TEST_CASE(a_batch_answers_202_with_one_result_per_item_in_order) {
    Api api;
    const auto response =
        api.call("POST", "/api/v1/backups", R"({"folders": ["photos", "music"]})");
    BOOST_TEST(response.status == 202);
    const auto photos = response.body.find(R"("folder":"photos")");
    const auto music = response.body.find(R"("folder":"music")");
    BOOST_TEST(photos < music);
    BOOST_TEST(music != std::string::npos);
    BOOST_TEST(response.body.find(R"("batch_id":")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_short_form_refuses_an_undecodable_name_with_400) {
    Api api;
    const auto response = api.call("POST", "/backup/bad%zz");
    BOOST_TEST(response.status == 400);
    BOOST_TEST(response.body.find(R"("code":"invalid_folder_name")") != std::string::npos);
    BOOST_TEST(api.folders.checks() == 0);
}

BOOST_AUTO_TEST_CASE(delete_cancels_a_queued_job_and_answers_409_once_it_has_ended) {
    Api api;
    api.call("POST", "/api/v1/backups", R"({"folder": "photos"})");
    const auto cancelled = api.call("DELETE", "/api/v1/backups/1");
    BOOST_TEST(cancelled.status == 200);
    BOOST_TEST(cancelled.body.find(R"("state":"cancelled")") != std::string::npos);
    BOOST_TEST(api.call("DELETE", "/api/v1/backups/1").status == 409);
    BOOST_TEST(api.call("DELETE", "/api/v1/backups/9").status == 404);
}

BOOST_AUTO_TEST_CASE(stats_answers_the_counts_and_audits_the_call) {
    Api api;
    api.call("POST", "/api/v1/backups", R"({"folder": "photos"})");
    const auto response = api.call("GET", "/stats");
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body.find(R"("total":1)") != std::string::npos);
    const auto records = api.audit.records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == core::AuditAction::get_stats));
}

BOOST_AUTO_TEST_CASE(an_invalid_logs_query_answers_400_and_leaves_one_failed_record) {
    Api api;
    const auto response = api.call("GET", "/api/v1/logs?from=2026-02-30");
    BOOST_TEST(response.status == 400);
    const auto records = api.audit.records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].message.find("from") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(logs_without_a_limit_stream_every_record_including_the_calls_own) {
    Api api;
    for (int i = 0; i < 1200; ++i) api.audit.append({.message = "r"});  // several batches
    auto response = api.call("GET", "/logs");
    BOOST_TEST(response.status == 200);
    BOOST_REQUIRE(static_cast<bool>(response.next_chunk));
    std::string body = response.body;
    for (;;) {
        auto producer = response.next_chunk;  // the server may call a copy each time
        auto chunk = producer();
        if (!chunk) break;
        body += *chunk;
    }
    BOOST_TEST(body.starts_with(R"({"logs":[{)"));
    BOOST_TEST(body.find("}{") == std::string::npos);
    std::size_t records = 0;
    for (auto at = body.find(R"({"id":)"); at != std::string::npos;
         at = body.find(R"({"id":)", at + 1)) {
        ++records;
        if (at > 9) BOOST_TEST(body[at - 1] == ',');
    }
    BOOST_TEST(records == 1201u);
    BOOST_TEST(body.find(R"("action":"Get Log")") != std::string::npos);
    BOOST_TEST(body.ends_with(R"(],"next":null})"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(api_routes_waiting)

BOOST_AUTO_TEST_CASE(wait_defers_the_answer_until_the_job_ends_watching_that_job) {
    Api api;
    core::JobWatch watch;
    api.services.job_watch = &watch;
    const auto placeholder = api.call("POST", "/api/v1/backups?wait=30", R"({"folder": "photos"})");
    BOOST_REQUIRE(placeholder.deferred);
    const auto& deferred = *placeholder.deferred;
    BOOST_TEST(deferred.jobs == std::vector<std::int64_t>{1}, boost::test_tools::per_element());
    BOOST_TEST(deferred.watch == &watch);
    BOOST_TEST(deferred.recheck.count() == 1000);
    BOOST_TEST(!deferred.answer(false).has_value());
    api.jobs.set_state(1, core::JobState::succeeded);
    const auto answer = deferred.answer(false);
    BOOST_REQUIRE(answer.has_value());
    BOOST_TEST(answer->status == 200);
}

BOOST_AUTO_TEST_CASE(at_the_deadline_a_running_job_answers_202) {
    Api api;
    const auto placeholder = api.call("POST", "/backup/photos");
    BOOST_REQUIRE(placeholder.deferred);
    const auto answer = placeholder.deferred->answer(true);
    BOOST_REQUIRE(answer.has_value());
    BOOST_TEST(answer->status == 202);
    BOOST_TEST(header(*answer, "Location") == "/api/v1/backups/1");
}

BOOST_AUTO_TEST_CASE(a_failed_copy_answers_500_and_a_cancelled_one_409) {
    Api api;
    const auto failed = api.call("POST", "/backup/photos");
    const auto cancelled = api.call("POST", "/backup/photos");
    api.jobs.set_state(1, core::JobState::failed);
    api.jobs.set_state(2, core::JobState::cancelled);
    BOOST_TEST(failed.deferred->answer(false)->status == 500);
    BOOST_TEST(cancelled.deferred->answer(false)->status == 409);
}

BOOST_AUTO_TEST_CASE(a_waited_batch_answers_200_once_every_job_has_ended) {
    Api api;
    const auto placeholder =
        api.call("POST", "/api/v1/backups?wait=5", R"({"folders": ["photos", "photos"]})");
    BOOST_REQUIRE(placeholder.deferred);
    api.jobs.set_state(1, core::JobState::succeeded);
    BOOST_TEST(!placeholder.deferred->answer(false).has_value());
    BOOST_TEST(placeholder.deferred->answer(true)->status == 202);
    api.jobs.set_state(2, core::JobState::succeeded);
    BOOST_TEST(placeholder.deferred->answer(false)->status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
