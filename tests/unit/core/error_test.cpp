#include "backupd/core/error.hpp"

#include <boost/test/unit_test.hpp>

#include "printing.hpp"

namespace core = backupd::core;
using core::ErrorCode;

BOOST_AUTO_TEST_SUITE(error_codes)

BOOST_AUTO_TEST_CASE(every_code_round_trips_through_its_text) {
    for (int i = 0; i <= static_cast<int>(ErrorCode::internal_error); ++i) {
        const auto code = static_cast<ErrorCode>(i);
        BOOST_TEST_CONTEXT(core::to_string(code)) {
            BOOST_TEST((core::parse_error_code(core::to_string(code)) == code));
            BOOST_TEST(core::http_status(code) >= 400);
            BOOST_TEST(core::http_status(code) < 600);
            BOOST_TEST(!core::spec(code).message.empty());
        }
    }
    BOOST_TEST(!core::parse_error_code("copy_failed").has_value());
    BOOST_TEST(!core::parse_error_code("").has_value());
}

BOOST_AUTO_TEST_CASE(codes_map_to_the_documented_statuses) {
    BOOST_TEST(core::http_status(ErrorCode::invalid_request) == 400);
    BOOST_TEST(core::http_status(ErrorCode::unauthorized) == 401);
    BOOST_TEST(core::http_status(ErrorCode::outside_source_root) == 403);
    BOOST_TEST(core::http_status(ErrorCode::symlink_in_path) == 403);
    BOOST_TEST(core::http_status(ErrorCode::no_such_directory) == 404);
    BOOST_TEST(core::http_status(ErrorCode::method_not_allowed) == 405);
    BOOST_TEST(core::http_status(ErrorCode::already_finished) == 409);
    BOOST_TEST(core::http_status(ErrorCode::body_too_large) == 413);
    BOOST_TEST(core::http_status(ErrorCode::unsupported_media_type) == 415);
    BOOST_TEST(core::http_status(ErrorCode::header_too_large) == 431);
    BOOST_TEST(core::http_status(ErrorCode::internal_error) == 500);
    BOOST_TEST(core::http_status(ErrorCode::database_unavailable) == 503);
}

BOOST_AUTO_TEST_CASE(only_backup_disk_failures_are_retried) {
    BOOST_TEST(core::retries(ErrorCode::backup_disk_full));
    BOOST_TEST(core::retries(ErrorCode::snapshot_write_failed));
    BOOST_TEST(!core::retries(ErrorCode::file_unreadable));
    BOOST_TEST(!core::retries(ErrorCode::no_such_directory));
    BOOST_TEST(!core::retries(ErrorCode::backup_root_read_only));
    BOOST_TEST(!core::retries(ErrorCode::cancelled));
    BOOST_TEST(!core::retries(ErrorCode::lease_expired));
}

BOOST_AUTO_TEST_CASE(messages_fill_the_subject_into_the_template) {
    BOOST_TEST(core::message_for(ErrorCode::no_such_directory, "photos") ==
               "No such directory: photos");
    BOOST_TEST(core::message_for(ErrorCode::internal_error, "ignored") == "Internal error");
    BOOST_TEST(core::message_for(ErrorCode::invalid_request, "limit must be 1 to 1000") ==
               "limit must be 1 to 1000");
}

BOOST_AUTO_TEST_CASE(retry_backoff_doubles_and_is_bounded) {
    using std::chrono::seconds;
    BOOST_TEST(core::retry_backoff(1).count() == 5);
    BOOST_TEST(core::retry_backoff(2).count() == 10);
    BOOST_TEST(core::retry_backoff(3).count() == 20);
    BOOST_TEST(core::retry_backoff(7).count() == 300);
    BOOST_TEST(core::retry_backoff(1000).count() == 300);
}

BOOST_AUTO_TEST_SUITE_END()
