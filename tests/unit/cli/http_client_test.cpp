#include "http_client.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::cli;

BOOST_AUTO_TEST_SUITE(cli_http_client)

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

BOOST_AUTO_TEST_CASE(the_host_header_brackets_an_ipv6_address) {
    BOOST_TEST(host_header(parse_url("http://[::1]:8080")) == "[::1]:8080");
    BOOST_TEST(host_header(parse_url("http://127.0.0.1:8080")) == "127.0.0.1:8080");
    BOOST_TEST(host_header(parse_url("https://backup.example")) == "backup.example:443");
    const HttpClient client(parse_url("http://[fe80::1]:9"), std::nullopt, std::nullopt);
    BOOST_TEST(client.describe() == "http://[fe80::1]:9");
}

BOOST_AUTO_TEST_CASE(a_password_in_the_url_is_refused_and_never_repeated) {
    for (const std::string url :
         {"http://user:s3cret@127.0.0.1:1", "https://s3cret@backup.example/prefix",
          "http://user:s3cret@[::1]:9"}) {
        try {
            parse_url(url);
            BOOST_FAIL("accepted " << url);
        } catch (const std::invalid_argument& error) {
            const std::string message = error.what();
            BOOST_TEST(message.find("s3cret") == std::string::npos, message);
            BOOST_TEST(message.find("user name or password") != std::string::npos, message);
        }
    }
}

BOOST_AUTO_TEST_CASE(no_message_about_a_bad_url_repeats_it) {
    for (const std::string url : {"ftp://s3cret", "http://:s3cret", "http://h:80s3cret",
                                  "http://[s3cret", "http://[::1]s3cret", "http://h/p?s3cret"}) {
        try {
            parse_url(url);
            BOOST_FAIL("accepted " << url);
        } catch (const std::invalid_argument& error) {
            BOOST_TEST(std::string{error.what()}.find("s3cret") == std::string::npos, error.what());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
