#include "path_codec.hpp"

#include <boost/test/unit_test.hpp>

#include "backupd/core/utf8.hpp"

using namespace backupd;
using store::decode_path_list;
using store::decode_verify_report;
using store::encode_path_list;
using store::encode_verify_report;
using store::escape_path;
using store::unescape_path;

namespace {

// Names a file system accepts and a naive line- or tab-separated encoding would break.
const std::vector<std::string> kHostilePaths = {
    "plain/file.txt",
    "line\nbreak",
    "tab\there",
    "carriage\rreturn",
    "100%/%41 not an escape",
    "fotos-\xC3\xA9t\xC3\xA9/\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\xB7",  // fotos-été/日本 📷
    "latin1-\xE9t\xE9",                                                   // not UTF-8
    "",
    " leading and trailing ",
    "\x7F",
};

}  // namespace

BOOST_AUTO_TEST_SUITE(path_codec)

BOOST_AUTO_TEST_CASE(printable_utf8_is_kept_as_it_is) {
    const std::string path = "fotos-\xC3\xA9t\xC3\xA9/a b\\c.jpg";
    BOOST_TEST(escape_path(path) == path);
}

BOOST_AUTO_TEST_CASE(percent_controls_and_invalid_bytes_are_escaped) {
    BOOST_TEST(escape_path("a\nb") == "a%0Ab");
    BOOST_TEST(escape_path("a\tb") == "a%09b");
    BOOST_TEST(escape_path("50%") == "50%25");
    BOOST_TEST(escape_path("\xE9t\xE9") == "%E9t%E9");
    BOOST_TEST(escape_path("cut \xC3") == "cut %C3");
}

BOOST_AUTO_TEST_CASE(every_hostile_path_round_trips_as_valid_utf8_text) {
    for (const std::string& path : kHostilePaths) {
        const std::string escaped = escape_path(path);
        BOOST_TEST(core::is_valid_utf8(escaped));
        BOOST_TEST(escaped.find('\n') == std::string::npos);
        BOOST_TEST(unescape_path(escaped).value() == path);
    }
}

BOOST_AUTO_TEST_CASE(a_list_round_trips_and_keeps_its_order_and_empty_paths) {
    const std::string text = encode_path_list(kHostilePaths);
    BOOST_TEST(core::is_valid_utf8(text));
    BOOST_TEST(decode_path_list(text).value() == kHostilePaths, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_empty_list_and_a_list_of_one_empty_path_differ) {
    BOOST_TEST(encode_path_list({}).empty());
    BOOST_TEST(decode_path_list("").value().empty());
    BOOST_TEST(encode_path_list({""}) == "\n");
    BOOST_TEST(decode_path_list("\n").value() == std::vector<std::string>{""},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(malformed_text_is_refused) {
    BOOST_TEST(!unescape_path("%").has_value());
    BOOST_TEST(!unescape_path("%4").has_value());
    BOOST_TEST(!unescape_path("%zz").has_value());
    BOOST_TEST(!unescape_path("%0a").has_value());  // lowercase is never written
    BOOST_TEST(!decode_path_list("no final newline").has_value());
    BOOST_TEST(!decode_path_list("ok\nbad %G1\n").has_value());
}

BOOST_AUTO_TEST_CASE(a_verify_report_round_trips) {
    core::VerifyReport report;
    report.checked = 5000;
    report.mismatched = 2;
    report.missing = 1;
    report.extra = 3;
    report.paths = kHostilePaths;
    const std::string text = encode_verify_report(report);
    BOOST_TEST(text.substr(0, text.find('\n')) == "checked=5000 mismatched=2 missing=1 extra=3");
    BOOST_TEST((decode_verify_report(text).value() == report));

    const core::VerifyReport intact{.checked = 7};
    BOOST_TEST((decode_verify_report(encode_verify_report(intact)).value() == intact));
}

BOOST_AUTO_TEST_CASE(a_malformed_verify_report_is_refused) {
    BOOST_TEST(!decode_verify_report("").has_value());
    BOOST_TEST(!decode_verify_report("checked=1 mismatched=0 missing=0\n").has_value());
    BOOST_TEST(!decode_verify_report("checked=1 mismatched=0 missing=0 extra=x\n").has_value());
    BOOST_TEST(!decode_verify_report("checked=-1 mismatched=0 missing=0 extra=0\n").has_value());
    BOOST_TEST(
        !decode_verify_report("checked=1 mismatched=0 missing=0 extra=0 more=1\n").has_value());
    BOOST_TEST(!decode_verify_report("checked=1 mismatched=0 missing=0 extra=0\nhalf").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
