// Range headers of downloads: one range served as 206, the rest ignored or unsatisfiable.
#include "backupd/api/byte_range.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::api;
using Kind = ByteRange::Kind;

namespace {

// "whole", "416" or "first-last".
std::string answer(std::string_view header, std::int64_t size) {
    const auto range = read_byte_range(header, size);
    if (range.kind == Kind::whole) return "whole";
    if (range.kind == Kind::unsatisfiable) return "416";
    return std::to_string(range.first) + "-" + std::to_string(range.last);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(byte_range)

BOOST_AUTO_TEST_CASE(one_range_in_each_form_is_partial) {
    BOOST_TEST(answer("bytes=0-0", 10) == "0-0");
    BOOST_TEST(answer("bytes=2-4", 10) == "2-4");
    BOOST_TEST(answer("bytes=7-", 10) == "7-9");
    BOOST_TEST(answer("bytes=-3", 10) == "7-9");
    BOOST_TEST(answer("Bytes= 2-4 ", 10) == "2-4");
}

BOOST_AUTO_TEST_CASE(a_range_past_the_end_is_cut_and_a_suffix_longer_than_the_file_is_all) {
    BOOST_TEST(answer("bytes=5-1000", 10) == "5-9");
    BOOST_TEST(answer("bytes=-1000", 10) == "0-9");
}

BOOST_AUTO_TEST_CASE(a_range_starting_at_or_past_the_end_is_unsatisfiable) {
    BOOST_TEST(answer("bytes=10-", 10) == "416");
    BOOST_TEST(answer("bytes=10-20", 10) == "416");
    BOOST_TEST(answer("bytes=-0", 10) == "416");
    BOOST_TEST(answer("bytes=0-", 0) == "416");
    BOOST_TEST(answer("bytes=-5", 0) == "416");
}

BOOST_AUTO_TEST_CASE(no_header_several_ranges_and_malformed_ones_get_the_whole_body) {
    for (const char* header : {"", "bytes=0-1,3-4", "items=0-1", "bytes=4-2", "bytes=a-b",
                               "bytes=-", "bytes=+1-2", "bytes=1", "bytes=99999999999999999999-"}) {
        BOOST_TEST(answer(header, 10) == "whole", header);
    }
}

BOOST_AUTO_TEST_SUITE_END()
