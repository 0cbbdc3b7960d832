#include "backupd/store/database_url.hpp"

#include <stdexcept>

#include <boost/test/unit_test.hpp>

using namespace backupd::store;

namespace {
std::string error_of(const std::string& url) {
    try {
        parse_database_url(url);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(database_url)

BOOST_AUTO_TEST_CASE(sqlite_takes_relative_and_absolute_paths) {
    BOOST_TEST(parse_database_url("sqlite:backupd.db").sqlite_path == "backupd.db");
    BOOST_TEST(parse_database_url("sqlite:/var/lib/backupd/db.sqlite").sqlite_path ==
               "/var/lib/backupd/db.sqlite");
    BOOST_TEST((parse_database_url("sqlite:x.db").backend == Backend::sqlite));
}

BOOST_AUTO_TEST_CASE(mysql_parses_every_part) {
    const auto url = parse_database_url("mysql://backupd:s3cret@db.example:3307/backups");
    BOOST_TEST((url.backend == Backend::mysql));
    BOOST_TEST(url.user == "backupd");
    BOOST_TEST(url.password == "s3cret");
    BOOST_TEST(url.host == "db.example");
    BOOST_TEST(url.port == 3307);
    BOOST_TEST(url.database == "backups");
}

BOOST_AUTO_TEST_CASE(mysql_port_defaults_and_password_comes_from_fallback) {
    const auto url = parse_database_url("mysql://backupd@localhost/backups", "from-env");
    BOOST_TEST(url.port == 3306);
    BOOST_TEST(url.password == "from-env");
}

BOOST_AUTO_TEST_CASE(percent_escapes_allow_special_characters_in_the_password) {
    const auto url = parse_database_url("mysql://u:p%40ss%3Aw%2Fd@h/db");
    BOOST_TEST(url.password == "p@ss:w/d");
}

BOOST_AUTO_TEST_CASE(redacted_form_never_shows_the_password) {
    const auto url = parse_database_url("mysql://u:topsecret@h:1/db");
    BOOST_TEST(url.redacted() == "mysql://u@h:1/db");
}

BOOST_AUTO_TEST_CASE(bad_urls_get_a_message_naming_the_problem) {
    BOOST_TEST(error_of("postgres://x@y/z").find("expected sqlite:PATH") != std::string::npos);
    BOOST_TEST(error_of("sqlite:").find("needs a file path") != std::string::npos);
    BOOST_TEST(error_of("sqlite://x.db").find("not sqlite://") != std::string::npos);
    BOOST_TEST(error_of("mysql://host/db").find("USER@HOST") != std::string::npos);
    BOOST_TEST(error_of("mysql://u@h").find("database name") != std::string::npos);
    BOOST_TEST(error_of("mysql://u@h:99999/db").find("port") != std::string::npos);
    BOOST_TEST(error_of("mysql://u@h:abc/db").find("port") != std::string::npos);
    BOOST_TEST(error_of("mysql://u@:3306/db").find("host") != std::string::npos);
    BOOST_TEST(error_of("mysql://u:bad%zz@h/db").find("%-escape") != std::string::npos);
    BOOST_TEST(error_of("mysql://u:pw%4@h/db").find("%-escape") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(error_messages_never_repeat_the_password) {
    const std::string message = error_of("mysql://u:hunter2@h:0/db");
    BOOST_TEST(!message.empty());
    BOOST_TEST(message.find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
