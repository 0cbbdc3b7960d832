#include "exit_status.hpp"

#include <boost/test/unit_test.hpp>

#include "http_client.hpp"

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

BOOST_AUTO_TEST_CASE(urls_are_split_into_scheme_host_port_and_prefix) {
    const auto plain = parse_url("http://127.0.0.1:8080");
    BOOST_TEST(!plain.https);
    BOOST_TEST(plain.host == "127.0.0.1");
    BOOST_TEST(plain.port == "8080");
    BOOST_TEST(plain.path == "");
    const auto tls = parse_url("https://backup.example/prefix/");
    BOOST_TEST(tls.https);
    BOOST_TEST(tls.port == "443");
    BOOST_TEST(tls.path == "/prefix");
    const auto v6 = parse_url("http://[::1]:9");
    BOOST_TEST(v6.host == "::1");
    BOOST_TEST(v6.port == "9");
    BOOST_CHECK_THROW(parse_url("ftp://x"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_url("http://:80"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_url("http://h:80x"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(query_values_are_percent_encoded) {
    BOOST_TEST(url_encode("Get Log") == "Get%20Log");
    BOOST_TEST(url_encode("a/b&c=d") == "a%2Fb%26c%3Dd");
    BOOST_TEST(url_encode("2026-01-01T00:00:00Z") == "2026-01-01T00%3A00%3A00Z");
}

BOOST_AUTO_TEST_SUITE_END()
