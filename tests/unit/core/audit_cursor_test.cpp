#include <boost/test/unit_test.hpp>

#include "backupd/core/audit.hpp"
#include "backupd/core/job.hpp"
#include "printing.hpp"

using namespace backupd::core;

BOOST_AUTO_TEST_SUITE(audit_labels_and_cursors)

BOOST_AUTO_TEST_CASE(labels_are_the_case_studys) {
    BOOST_TEST(to_string(AuditAction::backup) == "Backup");
    BOOST_TEST(to_string(AuditAction::get_log) == "Get Log");
    BOOST_TEST(to_string(AuditAction::get_stats) == "Get Stats");
    BOOST_TEST(to_string(AuditStatus::success) == "SUCCESS");
    BOOST_TEST(to_string(AuditStatus::failed) == "FAILED");
    BOOST_TEST((parse_audit_action("Get Log") == AuditAction::get_log));
    BOOST_TEST(!parse_audit_action("get log").has_value());
    BOOST_TEST(!parse_audit_status("success").has_value());
}

BOOST_AUTO_TEST_CASE(job_states_round_trip) {
    for (auto state : {JobState::queued, JobState::running, JobState::succeeded, JobState::failed,
                       JobState::cancelled}) {
        BOOST_TEST((parse_job_state(to_string(state)) == state));
    }
    BOOST_TEST(!parse_job_state("done").has_value());
    BOOST_TEST(is_terminal(JobState::cancelled));
    BOOST_TEST(!is_terminal(JobState::running));
}

BOOST_AUTO_TEST_CASE(cursor_round_trips) {
    const AuditCursor cursor{Timestamp{std::chrono::microseconds{1764000000123456}}, 42};
    const auto decoded = decode_cursor(encode_cursor(cursor));
    BOOST_REQUIRE(decoded.has_value());
    BOOST_TEST(decoded->at == cursor.at);
    BOOST_TEST(decoded->id == 42);
}

BOOST_AUTO_TEST_CASE(cursor_rejects_garbage) {
    for (const char* bad : {"", ".", "12", "12.", ".5", "a.b", "1.2.3", "-1.5", "1.-5", "1 .2"}) {
        BOOST_TEST(!decode_cursor(bad).has_value(), "accepted: " << bad);
    }
}

BOOST_AUTO_TEST_SUITE_END()
