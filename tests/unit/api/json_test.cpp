// The JSON codec without sockets: request parsing is strict, answers keep the shapes of
// docs/design.md section 7.
#include "backupd/api/json.hpp"

#include <boost/test/unit_test.hpp>

#include "backupd/api/snapshot_json.hpp"

using namespace backupd;
using namespace backupd::api;

namespace {

core::Job sample_job() {
    core::Job job;
    job.id = 17;
    job.folder = "photos";
    job.state = core::JobState::failed;
    job.attempt = 1;
    job.max_attempts = 3;
    job.submitted_at = core::Timestamp{std::chrono::microseconds{1'764'000'000'123'456}};
    job.progress.files_copied = 120;
    job.progress.bytes_copied = 5242880;
    job.error = core::JobError{core::ErrorCode::file_unreadable, "a.txt: could not be read"};
    return job;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_codec)

BOOST_AUTO_TEST_CASE(one_folder_and_a_batch_are_accepted) {
    const auto one = parse_backup_request(R"({"folder": "photos/2026"})");
    BOOST_TEST(one.ok());
    BOOST_TEST(!one.request.batch);
    BOOST_TEST(one.request.folders.at(0) == "photos/2026");
    const auto batch = parse_backup_request(R"({"folders": ["a", "fotos été"]})");
    BOOST_TEST(batch.ok());
    BOOST_TEST(batch.request.batch);
    BOOST_TEST(batch.request.folders.size() == 2u);
    BOOST_TEST(batch.request.folders.at(1) == "fotos été");
}

BOOST_AUTO_TEST_CASE(malformed_or_mistyped_bodies_are_refused_with_a_reason) {
    const std::pair<const char*, const char*> cases[] = {
        {"", "not valid JSON"},
        {"{", "not valid JSON"},
        {"[]", "must be a JSON object"},
        {R"({"folder": 5})", "must be a string"},
        {R"({"folder": "a", "folders": ["b"]})", "exactly one"},
        {R"({"folder": "a", "folder": "b"})", "appears twice"},
        {R"({"folder": "a", "force": true})", "unknown field 'force'"},
        {R"({})", "exactly one"},
        {R"({"folders": []})", "1 to 1000"},
        {R"({"folders": "a"})", "1 to 1000"},
        {R"({"folders": ["a", 3]})", "every item"},
        {"{\"folder\": \"\xFF\"}", "not valid JSON"},
    };
    for (const auto& [body, reason] : cases) {
        const auto parsed = parse_backup_request(body);
        BOOST_TEST(!parsed.ok(), body);
        BOOST_TEST(parsed.error.find(reason) != std::string::npos, body << " -> " << parsed.error);
    }
}

// RapidJSON 1.1.0 turns "\udc00" into bytes that are not UTF-8; the folder would be queued
// as given and answered as U+FFFD (tests/fuzz/corpus/json/crash-lone-low-surrogate).
BOOST_AUTO_TEST_CASE(an_escaped_lone_low_surrogate_is_refused) {
    const auto parsed = parse_backup_request(R"({"folder": "a\ude00"})");
    BOOST_TEST(!parsed.ok());
    BOOST_TEST(parsed.error.find("unpaired surrogate") != std::string::npos);
    BOOST_TEST(!parse_restore_request(R"({"snapshot": 1, "paths": ["\udc00"]})").ok());
    BOOST_TEST(parse_backup_request(R"({"folder": "ph\u00f6tos\ud83d\ude00"})").ok());
}

BOOST_AUTO_TEST_CASE(a_batch_of_more_than_a_thousand_is_refused) {
    std::string body = R"({"folders": [)";
    for (std::size_t i = 0; i <= kMaxBatch; ++i)
        body += (i ? ",\"f" : "\"f") + std::to_string(i) + "\"";
    body += "]}";
    BOOST_TEST(!parse_backup_request(body).ok());
}

BOOST_AUTO_TEST_CASE(a_job_has_the_documented_fields_with_nulls_for_unknown_times) {
    const std::string json = job_json(sample_job());
    for (const char* field :
         {R"("id":17)", R"("folder":"photos")", R"("state":"failed")", R"("attempt":1)",
          R"("submitted_at":"2025-11-24T16:00:00.123456Z")", R"("started_at":null)",
          R"("finished_at":null)", R"("retry_at":null)", R"("files_copied":120)",
          R"("files_linked":0)", R"("bytes_copied":5242880)", R"("snapshot":null)",
          R"("error":{"code":"file_unreadable","message":"a.txt: could not be read"})",
          R"("plan":null,"scheduled_for":null)"}) {
        BOOST_TEST(json.find(field) != std::string::npos, field << " in " << json);
    }
}

BOOST_AUTO_TEST_CASE(a_job_has_its_kind_and_only_the_kind_fields_that_are_set) {
    auto job = sample_job();
    const std::string backup = job_json(job);
    BOOST_TEST(backup.find(R"("id":17,"kind":"backup")") != std::string::npos);
    for (const char* absent :
         {"snapshot_id", "\"restore\"", "\"verify\"", "\"manifest\"", "\"prune\""})
        BOOST_TEST(backup.find(absent) == std::string::npos, absent);
    job.kind = core::JobKind::restore;
    job.snapshot_id = 3;
    job.restore = core::RestoreSpec{{"a b"}, "t", core::Overwrite::always, true};
    const std::string restore = job_json(job);
    BOOST_TEST(restore.find(R"("snapshot_id":3,"restore":{"paths":["a b"],"target":"t",)"
                            R"("overwrite":"always","in_place":true})") != std::string::npos,
               restore);
    job = sample_job();
    job.manifest = core::ManifestSummary{"xxh3-128", "ab"};
    BOOST_TEST(job_json(job).find(R"("manifest":{"algorithm":"xxh3-128","digest":"ab"})") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_job_a_plan_fired_has_its_plan_and_due_time_and_a_prune_its_report) {
    auto job = sample_job();
    job.plan = "photos-nightly";
    job.scheduled_for = core::Timestamp{std::chrono::seconds{1'764'000'000}};
    BOOST_TEST(
        job_json(job).find(R"("plan":"photos-nightly",)"
                           R"("scheduled_for":"2025-11-24T16:00:00.000000Z")") != std::string::npos,
        job_json(job));
    job.kind = core::JobKind::prune;
    job.prune = core::PruneReport{4, 9};
    const std::string prune = job_json(job);
    BOOST_TEST(prune.find(R"("kind":"prune")") != std::string::npos);
    BOOST_TEST(prune.find(R"("prune":{"removed":4,"kept":9})") != std::string::npos, prune);
}

BOOST_AUTO_TEST_CASE(a_restore_request_is_read_field_by_field) {
    const auto full = parse_restore_request(
        R"({"snapshot": 17, "paths": ["a"], "target": "t", "overwrite": "if-changed",)"
        R"( "in_place": false})");
    BOOST_TEST(full.ok(), full.error);
    BOOST_TEST(full.request.snapshot == 17);
    BOOST_TEST(full.request.paths == std::vector<std::string>{"a"},
               boost::test_tools::per_element());
    BOOST_TEST((full.request.target == std::optional<std::string>("t")));
    BOOST_TEST((full.request.overwrite == core::Overwrite::if_changed));
    const auto minimal = parse_restore_request(R"({"snapshot": 17})");
    BOOST_TEST(minimal.ok());
    BOOST_TEST(!minimal.request.overwrite.has_value());
    BOOST_TEST(!minimal.request.target.has_value());
    const auto unknown = parse_restore_request(R"({"snapshot": 17, "x": 1})");
    BOOST_TEST(unknown.names_snapshot);
    BOOST_TEST(unknown.error.find("unknown field 'x'") != std::string::npos, unknown.error);
    const auto nameless = parse_restore_request(R"({"paths": []})");
    BOOST_TEST(!nameless.names_snapshot);
    BOOST_TEST(nameless.error.find("\"snapshot\" is required") != std::string::npos);
    std::string many = R"({"snapshot": 1, "paths": [)";
    for (std::size_t i = 0; i <= kMaxRestorePaths; ++i) many += (i ? ",\"p\"" : "\"p\"");
    BOOST_TEST(!parse_restore_request(many + "]}").ok());
}

BOOST_AUTO_TEST_CASE(text_that_is_not_utf8_is_repaired_not_passed_through) {
    auto job = sample_job();
    job.folder = "bad\xC3";
    const std::string json = job_json(job);
    BOOST_TEST(json.find("\"folder\":\"bad\xEF\xBF\xBD\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stats_and_errors_keep_their_shapes) {
    core::Stats stats;
    stats.total = 5;
    stats.succeeded = 3;
    stats.failed = 2;
    stats.restores.total = 1;
    stats.restores.running = 1;
    stats.verifies.total = 2;
    stats.verifies.succeeded = 2;
    stats.prunes.total = 1;
    stats.prunes.failed = 1;
    BOOST_TEST(stats_json(stats) ==
               R"({"total":5,"succeeded":3,"failed":2,"queued":0,"running":0,"cancelled":0,)"
               R"("bytes_copied":0,)"
               R"("restores":{"total":1,"succeeded":0,"failed":0,"queued":0,"running":1,)"
               R"("cancelled":0},)"
               R"("verifies":{"total":2,"succeeded":2,"failed":0,"queued":0,"running":0,)"
               R"("cancelled":0},)"
               R"("prunes":{"total":1,"succeeded":0,"failed":1,"queued":0,"running":0,)"
               R"("cancelled":0}})");
    const auto error =
        error_response(core::ErrorCode::no_such_directory, "No such directory: photos");
    BOOST_TEST(error.status == 404);
    BOOST_TEST(error.body ==
               R"({"error":{"code":"no_such_directory","message":"No such directory: photos"}})");
}

BOOST_AUTO_TEST_CASE(streamed_log_batches_join_into_one_array) {
    core::AuditRecord record;
    record.id = 1;
    record.message = "m";
    const std::vector<core::AuditRecord> two{record, record};
    const std::string first = audit_records_json(two, true);
    const std::string later = audit_records_json(two, false);
    BOOST_TEST(first.front() == '{');
    BOOST_TEST(later.front() == ',');
    BOOST_TEST(audit_records_json({}, false).empty());
    const std::string whole = R"({"logs":[)" + first + later + R"(],"next":null})";
    BOOST_TEST(std::count(whole.begin(), whole.end(), '{') == 5);  // the wrapper and 4 records
}

BOOST_AUTO_TEST_SUITE_END()
