#include "client_config.hpp"

#include <stdexcept>

#include <boost/test/unit_test.hpp>

using namespace backupd::cli;

namespace {
// A token file reader over names: "file:<path>" tokens, so a test sees which file was read.
std::string fake_token_file(const std::string& path) {
    return "file:" + path;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(cli_client_config)

BOOST_AUTO_TEST_CASE(flags_win_over_environment_and_file) {
    Settings settings{.url_flag = "http://flag:1",
                      .token_file_flag = "/flag-token",
                      .url_env = "http://env:2",
                      .token_env = "env-token",
                      .file = {.url = "http://file:3", .token_file = "/file-token"}};
    const auto config = resolve_client_config(settings, fake_token_file);
    BOOST_TEST(config.url == "http://flag:1");
    BOOST_TEST(config.url_source == "--url");
    BOOST_TEST(config.token.value() == "file:/flag-token");
}

BOOST_AUTO_TEST_CASE(environment_wins_over_the_file) {
    Settings settings{.url_env = "http://env:2/",
                      .token_env = "env-token\n",
                      .file = {.url = "http://file:3", .token_file = "/file-token"}};
    const auto config = resolve_client_config(settings, fake_token_file);
    BOOST_TEST(config.url == "http://env:2");  // a trailing slash is dropped
    BOOST_TEST(config.token.value() == "env-token");
}

BOOST_AUTO_TEST_CASE(the_file_wins_over_the_default) {
    Settings settings{.file = {.url = "https://file:3", .token_file = "/file-token"}};
    const auto config = resolve_client_config(settings, fake_token_file);
    BOOST_TEST(config.url == "https://file:3");
    BOOST_TEST(config.url_source == "config file");
    BOOST_TEST(config.token.value() == "file:/file-token");
}

BOOST_AUTO_TEST_CASE(nothing_given_means_loopback_without_a_token) {
    const auto config =
        resolve_client_config(Settings{.url_env = "", .token_env = ""}, fake_token_file);
    BOOST_TEST(config.url == "http://127.0.0.1:8080");
    BOOST_TEST(!config.token.has_value());
}

BOOST_AUTO_TEST_CASE(config_file_reads_keys_comments_and_blanks) {
    const auto file = parse_config_file(
        "# backupctl\n\nurl = https://backup.example:8443\n token_file=/t \n", "c");
    BOOST_TEST(file.url.value() == "https://backup.example:8443");
    BOOST_TEST(file.token_file.value() == "/t");
}

BOOST_AUTO_TEST_CASE(config_file_errors_name_the_line) {
    try {
        parse_config_file("url = x\ncolour = red\n", "/home/a/.config/backupctl/config");
        BOOST_FAIL("an unknown key was accepted");
    } catch (const std::runtime_error& error) {
        BOOST_TEST(std::string{error.what()} ==
                   "/home/a/.config/backupctl/config:2: unknown key 'colour' (expected url or "
                   "token_file)");
    }
    BOOST_CHECK_THROW(parse_config_file("just words\n", "c"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(config_path_prefers_xdg_config_home) {
    BOOST_TEST(config_file_path("/x", "/home/a").value() == "/x/backupctl/config");
    BOOST_TEST(config_file_path("", "/home/a").value() == "/home/a/.config/backupctl/config");
    BOOST_TEST(!config_file_path(std::nullopt, std::nullopt).has_value());
}

BOOST_AUTO_TEST_CASE(an_unreadable_or_empty_token_file_is_an_error) {
    BOOST_CHECK_THROW(read_token_file("/nonexistent/token"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
