#include "backupd/api/query_string.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

using namespace backupd::api;

BOOST_AUTO_TEST_SUITE(query_string)

BOOST_AUTO_TEST_CASE(decodes_names_and_values_with_percent_escapes_and_plus_as_space) {
    const auto result = parse_query_string("/api/v1/logs?from=2026-11-24&q=x%20y+z&f%6Fo=%C3%A9");
    BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
    BOOST_TEST(result.parameters.size() == 3u);
    BOOST_TEST(result.parameters.at("from") == "2026-11-24");
    BOOST_TEST(result.parameters.at("q") == "x y z");
    BOOST_TEST(result.parameters.at("foo") == "\xC3\xA9");
}

BOOST_AUTO_TEST_CASE(find_takes_a_string_view) {
    const auto result = parse_query_string("/x?limit=5");
    const std::string_view name = "limit";
    BOOST_REQUIRE(result.parameters.find(name) != result.parameters.end());
    BOOST_TEST(result.parameters.find(name)->second == "5");
}

BOOST_AUTO_TEST_CASE(a_target_without_query_has_no_parameters) {
    for (const char* target : {"/api/v1/logs", "/api/v1/logs?", "/x?&&"}) {
        const auto result = parse_query_string(target);
        BOOST_TEST(result.ok(), target);
        BOOST_TEST(result.parameters.empty(), target);
    }
}

BOOST_AUTO_TEST_CASE(empty_values_are_kept_so_the_caller_can_reject_them) {
    const auto result = parse_query_string("/x?from=&to&limit=1");
    BOOST_REQUIRE(result.ok());
    BOOST_TEST(result.parameters.at("from") == "");
    BOOST_TEST(result.parameters.at("to") == "");
    BOOST_TEST(result.parameters.at("limit") == "1");
}

BOOST_AUTO_TEST_CASE(only_the_first_equals_sign_splits_name_from_value) {
    const auto result = parse_query_string("/x?cursor=a=b");
    BOOST_REQUIRE(result.ok());
    BOOST_TEST(result.parameters.at("cursor") == "a=b");
}

BOOST_AUTO_TEST_CASE(malformed_escapes_are_errors_that_show_the_escape) {
    for (const char* target : {"/x?a=%zz", "/x?a=%4", "/x?a=%", "/x?a=1%g0", "/x?%zz=1"}) {
        const auto result = parse_query_string(target);
        BOOST_TEST(!result.ok(), target);
        BOOST_TEST(result.parameters.empty(), target);
        BOOST_TEST(result.error.find("is not a valid %-escape") != std::string::npos, result.error);
    }
    BOOST_TEST(parse_query_string("/x?a=%zz").error.find("'%zz'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_encoded_nul_is_an_error) {
    const auto result = parse_query_string("/x?folder=a%00b");
    BOOST_TEST(!result.ok());
    BOOST_TEST(result.error.find("NUL") != std::string::npos, result.error);
}

BOOST_AUTO_TEST_CASE(a_name_given_twice_is_an_error_naming_it) {
    const auto result = parse_query_string("/api/v1/logs?from=a&to=b&from=c");
    BOOST_TEST(!result.ok());
    BOOST_TEST(result.error == "query parameter 'from' is given more than once");
}

BOOST_AUTO_TEST_CASE(a_name_given_twice_in_different_spellings_is_an_error) {
    BOOST_TEST(!parse_query_string("/x?from=a&fr%6Fm=b").ok());
    BOOST_TEST(!parse_query_string("/x?a+b=1&a%20b=2").ok());
}

BOOST_AUTO_TEST_CASE(a_piece_without_a_name_is_an_error) {
    const auto result = parse_query_string("/x?=5");
    BOOST_TEST(!result.ok());
    BOOST_TEST(result.error == "query parameter '=5' has no name");
}

BOOST_AUTO_TEST_CASE(error_messages_quote_at_most_64_characters_of_input) {
    const std::string huge(10000, 'a');
    const auto result = parse_query_string("/x?" + huge + "=%zz");
    BOOST_TEST(!result.ok());
    BOOST_TEST(result.error.size() < 200u, result.error);
    BOOST_TEST(result.error.find(std::string(64, 'a') + "...") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(percent_decode_decodes_escapes_in_either_case_and_keeps_plus) {
    const auto decoded = percent_decode("my%20photos%2fold%2Bnew+x");
    BOOST_REQUIRE_MESSAGE(decoded.ok(), decoded.error);
    BOOST_TEST(decoded.value == "my photos/old+new+x");
    BOOST_TEST(percent_decode("").value == "");
}

BOOST_AUTO_TEST_CASE(percent_decode_rejects_malformed_escapes_and_nul) {
    for (const char* bad : {"%zz", "%4", "abc%", "%0g"}) {
        const auto decoded = percent_decode(bad);
        BOOST_TEST(!decoded.ok(), bad);
        BOOST_TEST(decoded.value.empty(), bad);
    }
    BOOST_TEST(percent_decode("photos%00").error == "an encoded NUL (%00) is not allowed");
    BOOST_TEST(!percent_decode(std::string_view("a\0b", 3)).ok());
}

BOOST_AUTO_TEST_SUITE_END()
