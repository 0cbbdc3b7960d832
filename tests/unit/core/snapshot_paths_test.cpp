// Paths inside a snapshot and under the restore root: what is accepted, and that each refusal
// is invalid_path with a reason.
#include "backupd/core/snapshot_paths.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

#include "printing.hpp"

using namespace backupd;

namespace {

// The reason a path is refused, or "" when it is accepted.
std::string refusal(std::string_view path, bool allow_empty = false) {
    const auto error = core::check_snapshot_path(path, allow_empty);
    if (!error) return "";
    BOOST_TEST(error->code == core::ErrorCode::invalid_path);
    return error->message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_paths)

BOOST_AUTO_TEST_CASE(relative_paths_of_plain_segments_are_accepted) {
    BOOST_TEST(refusal("a.txt") == "");
    BOOST_TEST(refusal("sub/dir/b.bin") == "");
    BOOST_TEST(refusal("..hidden/.x/a..b") == "");
    BOOST_TEST(refusal("caf\xc3\xa9") == "");
}

BOOST_AUTO_TEST_CASE(the_empty_path_is_the_top_only_where_allowed) {
    BOOST_TEST(refusal("", true) == "");
    BOOST_TEST(refusal("").find("empty") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dot_dot_and_dot_segments_are_refused_naming_them) {
    BOOST_TEST(refusal("..").find("'..' segment") != std::string::npos);
    BOOST_TEST(refusal("a/../../etc").find("'..' segment") != std::string::npos);
    BOOST_TEST(refusal("a/./b").find("'.' segment") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(absolute_paths_and_empty_segments_are_refused) {
    BOOST_TEST(refusal("/etc/passwd").find("absolute") != std::string::npos);
    BOOST_TEST(refusal("a//b").find("empty segment") != std::string::npos);
    BOOST_TEST(refusal("a/").find("empty segment") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nul_bytes_invalid_utf8_and_overlong_paths_are_refused) {
    const std::string with_nul("a\0b", 3);
    BOOST_TEST(refusal(with_nul).find("NUL") != std::string::npos);
    BOOST_TEST(refusal(with_nul).find('\0') == std::string::npos);  // never echoed
    BOOST_TEST(refusal("a\xff").find("UTF-8") != std::string::npos);
    BOOST_TEST(refusal(std::string(4096, 'a')) == "");
    BOOST_TEST(refusal(std::string(4097, 'a')).find("4096") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_default_restore_target_is_folder_then_snapshot_name) {
    BOOST_TEST(core::default_restore_target("photos/2024", "20261124T140523Z-17") ==
               "photos/2024/20261124T140523Z-17");
}

BOOST_AUTO_TEST_SUITE_END()
