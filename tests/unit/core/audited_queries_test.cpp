// core/audited_queries.hpp over in-memory fakes: every logs or stats request leaves exactly one
// audit record, SUCCESS or FAILED with the reason.
#include "backupd/core/audited_queries.hpp"

#include <boost/test/unit_test.hpp>

#include "fake_audit_log.hpp"
#include "fake_job_queue.hpp"
#include "printing.hpp"

using namespace backupd;
using core::AuditAction;
using core::AuditStatus;

namespace {

core::LogsQuery all_records() {
    core::LogsQuery query;
    query.described = "all records";
    return query;
}

std::vector<core::AuditRecord> read_all(core::AuditBatches& batches) {
    std::vector<core::AuditRecord> out;
    bool saw_last = false;
    while (auto batch = batches.next()) {
        BOOST_TEST(!saw_last);
        saw_last = batch->last;
        out.insert(out.end(), batch->records.begin(), batch->records.end());
    }
    BOOST_TEST(saw_last);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audited_queries)

BOOST_AUTO_TEST_CASE(a_valid_logs_query_writes_one_success_record_describing_it) {
    testing::FakeAuditLog audit;
    core::LogsQuery query = all_records();
    query.paged = true;
    query.described = "action Backup";
    const auto result = core::query_logs(audit, query, "10.1.1.1");
    BOOST_TEST(!result.invalid.has_value());
    const auto records = audit.records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == AuditAction::get_log));
    BOOST_TEST((records[0].status == AuditStatus::success));
    BOOST_TEST(records[0].message == "action Backup");
    BOOST_TEST(records[0].client_address.value_or("") == "10.1.1.1");
}

BOOST_AUTO_TEST_CASE(
    an_invalid_logs_query_writes_one_failed_record_with_the_reason_and_reads_nothing) {
    testing::FakeAuditLog audit;
    const auto result =
        core::query_logs(audit, core::InvalidRequest{"status must be SUCCESS or FAILED"}, {});
    BOOST_REQUIRE(result.invalid.has_value());
    BOOST_TEST(result.invalid->reason == "status must be SUCCESS or FAILED");
    BOOST_TEST(!result.page.has_value());
    BOOST_TEST(!result.all);
    BOOST_TEST(audit.pages() == 0);
    const auto records = audit.records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == AuditStatus::failed));
    BOOST_TEST(records[0].message == "status must be SUCCESS or FAILED");
}

BOOST_AUTO_TEST_CASE(a_paged_logs_query_returns_one_page_with_a_cursor) {
    testing::FakeAuditLog audit;
    for (int i = 0; i < 5; ++i) audit.append({.message = "r" + std::to_string(i)});
    core::LogsQuery query = all_records();
    query.paged = true;
    query.query.limit = 2;
    const auto result = core::query_logs(audit, query, {});
    BOOST_REQUIRE(result.page.has_value());
    BOOST_TEST(result.page->records.size() == 2u);
    BOOST_TEST(result.page->records[0].message == "r0");
    BOOST_TEST(result.page->next.has_value());
}

BOOST_AUTO_TEST_CASE(an_unpaged_logs_query_streams_every_record_in_batches_including_its_own) {
    testing::FakeAuditLog audit;
    for (int i = 0; i < 7; ++i) audit.append({.message = "r" + std::to_string(i)});
    const auto result = core::query_logs(audit, all_records(), {}, 3);
    BOOST_REQUIRE(result.all);
    BOOST_TEST(audit.pages() == 0);  // nothing read until the client reads
    const auto records = read_all(*result.all);
    BOOST_REQUIRE(records.size() == 8u);
    BOOST_TEST(records.front().message == "r0");
    BOOST_TEST((records.back().action == AuditAction::get_log));
    BOOST_TEST(audit.pages() == 3);
}

BOOST_AUTO_TEST_CASE(an_empty_stream_still_ends_with_a_last_batch) {
    testing::FakeAuditLog audit;
    core::LogsQuery query = all_records();
    query.query.action = AuditAction::backup;  // matches nothing, not even its own record
    const auto result = core::query_logs(audit, query, {});
    BOOST_TEST(read_all(*result.all).empty());
}

BOOST_AUTO_TEST_CASE(a_stats_request_writes_one_success_record_naming_the_counts) {
    testing::FakeJobQueue jobs;
    testing::FakeAuditLog audit;
    jobs.enqueue({.folder = "a"});
    jobs.enqueue(
        {.folder = "b", .rejection = core::JobError{core::ErrorCode::no_such_directory, "x"}});
    const auto result = core::read_stats(jobs, audit, std::nullopt, "h");
    BOOST_TEST(!result.invalid.has_value());
    BOOST_TEST(result.stats.total == 2);
    BOOST_TEST(result.stats.failed == 1);
    const auto records = audit.records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == AuditAction::get_stats));
    BOOST_TEST((records[0].status == AuditStatus::success));
    BOOST_TEST(records[0].message == "total 2, succeeded 0, failed 1");
}

BOOST_AUTO_TEST_CASE(an_invalid_stats_request_writes_one_failed_record_with_the_reason) {
    testing::FakeJobQueue jobs;
    testing::FakeAuditLog audit;
    const auto result =
        core::read_stats(jobs, audit, core::InvalidRequest{"unknown parameter 'x'"}, {});
    BOOST_REQUIRE(result.invalid.has_value());
    const auto records = audit.records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == AuditAction::get_stats));
    BOOST_TEST((records[0].status == AuditStatus::failed));
    BOOST_TEST(records[0].message == "unknown parameter 'x'");
}

BOOST_AUTO_TEST_SUITE_END()
