#include "exit_status.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::cli;

BOOST_AUTO_TEST_SUITE(cli_exit_status)

BOOST_AUTO_TEST_CASE(success_statuses_are_zero) {
    for (int status : {200, 201, 202, 204, 206}) {
        BOOST_TEST(static_cast<int>(exit_for_http_status(status)) == 0);
    }
}

BOOST_AUTO_TEST_CASE(refusals_to_serve_are_three) {
    for (int status : {401, 403, 429, 500, 503, 507}) {
        BOOST_TEST(static_cast<int>(exit_for_http_status(status)) == 3, "status " << status);
    }
}

BOOST_AUTO_TEST_CASE(requests_refused_as_wrong_are_one) {
    for (int status : {400, 404, 405, 409, 413, 415, 416}) {
        BOOST_TEST(static_cast<int>(exit_for_http_status(status)) == 1, "status " << status);
    }
}

BOOST_AUTO_TEST_CASE(a_failed_or_cancelled_job_is_one) {
    BOOST_TEST(static_cast<int>(exit_for_job_state("succeeded")) == 0);
    BOOST_TEST(static_cast<int>(exit_for_job_state("failed")) == 1);
    BOOST_TEST(static_cast<int>(exit_for_job_state("cancelled")) == 1);
}

BOOST_AUTO_TEST_CASE(worst_prefers_unavailable_then_failed) {
    BOOST_TEST(static_cast<int>(worst(ExitStatus::success, ExitStatus::failed)) == 1);
    BOOST_TEST(static_cast<int>(worst(ExitStatus::unavailable, ExitStatus::failed)) == 3);
    BOOST_TEST(static_cast<int>(worst(ExitStatus::success, ExitStatus::success)) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
