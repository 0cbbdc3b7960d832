#include "column_text.hpp"

#include <boost/test/unit_test.hpp>

using backupd::store::column_text;

BOOST_AUTO_TEST_SUITE(column_text_fitting)

BOOST_AUTO_TEST_CASE(valid_utf8_within_the_limit_is_unchanged) {
    const std::string text = "fotos-\xC3\xA9t\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\xB7";
    BOOST_TEST(column_text(text, 100) == text);
}

BOOST_AUTO_TEST_CASE(invalid_bytes_become_replacement_characters) {
    BOOST_TEST(column_text("a\xFF"
                           "b",
                           10) ==
               "a\xEF\xBF\xBD"
               "b");
    BOOST_TEST(column_text("\xC3", 10) == "\xEF\xBF\xBD");                          // cut sequence
    BOOST_TEST(column_text("\xC0\xAF", 10) == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong '/'
    BOOST_TEST(column_text("\xED\xA0\x80", 10).find('\xED') == std::string::npos);  // surrogate
}

BOOST_AUTO_TEST_CASE(length_is_cut_in_characters_not_bytes) {
    BOOST_TEST(column_text("abcdef", 3) == "abc");
    BOOST_TEST(column_text("\xC3\xA9\xC3\xA9\xC3\xA9", 2) == "\xC3\xA9\xC3\xA9");
}

BOOST_AUTO_TEST_SUITE_END()
