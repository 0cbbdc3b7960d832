// The snapshot routes over the fakes: listing and paging, one snapshot, browsing a directory,
// and downloading a file whole or by range, with the precise error for each bad input.
#include <boost/test/unit_test.hpp>

#include "printing.hpp"
#include "route_fixture.hpp"

using namespace backupd;
using testing::contains;
using testing::header;

namespace {

using Api = testing::RouteFixture;

// Every piece a streamed answer yields after its body, joined.
std::string streamed_body(const api::HttpResponse& response) {
    std::string out = response.body;
    BOOST_REQUIRE(response.next_chunk);
    while (const auto piece = response.next_chunk()) out += *piece;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_routes)

BOOST_AUTO_TEST_CASE(the_list_is_newest_first_paged_and_filtered_by_folder) {
    Api api;
    api.snapshots.add(20, "music");
    api.snapshots.add(18, "photos");
    const auto first = api.call("GET", "/api/v1/snapshots?limit=2");
    BOOST_TEST(first.status == 200);
    BOOST_TEST(first.body.find(R"("id":20)") < first.body.find(R"("id":18)"));
    BOOST_TEST(!contains(first.body, R"("id":17)"));
    BOOST_TEST(contains(first.body, R"("next":"18")"));
    const auto second = api.call("GET", "/api/v1/snapshots?limit=2&cursor=18");
    BOOST_TEST(contains(second.body, R"("id":17)"));
    BOOST_TEST(contains(second.body, R"("next":null)"));
    const auto photos = api.call("GET", "/api/v1/snapshots?folder=photos");
    BOOST_TEST(!contains(photos.body, R"("id":20)"));
    BOOST_TEST(contains(photos.body, R"("id":18)"));
}

BOOST_AUTO_TEST_CASE(bad_list_parameters_answer_400) {
    Api api;
    for (const char* target : {"/api/v1/snapshots?limit=0", "/api/v1/snapshots?limit=1001",
                               "/api/v1/snapshots?cursor=x", "/api/v1/snapshots?state=ok"}) {
        const auto response = api.call("GET", target);
        BOOST_TEST(response.status == 400, target);
        BOOST_TEST(contains(response.body, R"("code":"invalid_request")"), target);
    }
}

BOOST_AUTO_TEST_CASE(one_snapshot_has_the_documented_fields) {
    Api api;
    auto& snapshot = api.snapshots.add(21, "docs");
    api.snapshot_files.add_snapshot(snapshot.path);
    snapshot.files = 3;
    snapshot.bytes = 30;
    snapshot.bytes_copied = 10;
    snapshot.verify_state = core::VerifyState::ok;
    snapshot.verified_at = snapshot.created_at;
    snapshot.manifest = core::ManifestSummary{"xxh3-128", "00ff"};
    const auto response = api.call("GET", "/api/v1/snapshots/21");
    BOOST_TEST(response.status == 200);
    for (const char* field :
         {R"("id":21,"folder":"docs","name":"20261124T140523Z-21",)",
          R"("path":"docs/20261124T140523Z-21","created_at":")",
          R"("files":3,"bytes":30,"bytes_copied":10,"verify_state":"ok","verified_at":")",
          R"("manifest":{"algorithm":"xxh3-128","digest":"00ff"},"pinned":false})"}) {
        BOOST_TEST(contains(response.body, field), field);
    }
    const auto old = api.call("GET", "/api/v1/snapshots/17");
    BOOST_TEST(contains(old.body, R"("verify_state":"never","verified_at":null,"manifest":null)"));
}

BOOST_AUTO_TEST_CASE(an_unknown_gone_or_malformed_snapshot_id_answers_404_or_400) {
    Api api;
    api.snapshots.add(30, "photos");  // in the catalog, not on disk
    BOOST_TEST(api.call("GET", "/api/v1/snapshots/99").status == 404);
    const auto gone = api.call("GET", "/api/v1/snapshots/30");
    BOOST_TEST(gone.status == 404);
    BOOST_TEST(contains(gone.body, "No such snapshot: 30"));
    BOOST_TEST(api.call("GET", "/api/v1/snapshots/abc").status == 400);
    BOOST_TEST(api.call("GET", "/api/v1/snapshots/0/files").status == 400);
    BOOST_TEST(api.call("GET", "/api/v1/snapshots/99/content?path=a.txt").status == 404);
}

BOOST_AUTO_TEST_CASE(without_snapshot_ports_the_routes_answer_404) {
    Api api;
    api.services.snapshots = nullptr;
    const auto response = api.call("GET", "/api/v1/snapshots");
    BOOST_TEST(response.status == 404);
    BOOST_TEST(contains(response.body, "not served"));
    BOOST_TEST(api.call("GET", "/api/v1/snapshots/17").status == 404);
}

BOOST_AUTO_TEST_CASE(files_lists_one_directory_by_name_with_types_and_link_targets) {
    Api api;
    const auto top = api.call("GET", "/api/v1/snapshots/17/files");
    BOOST_TEST(top.status == 200);
    BOOST_TEST(contains(top.body, R"({"name":"a.txt","type":"file","size":5,"mtime":")"));
    BOOST_TEST(contains(top.body, R"("mode":420,"target":null})"));
    BOOST_TEST(contains(top.body, R"({"name":"link","type":"symlink",)"));
    BOOST_TEST(contains(top.body, R"("target":"sub"})"));
    BOOST_TEST(contains(top.body, R"({"name":"sub","type":"dir",)"));
    BOOST_TEST(!contains(top.body, "b.bin"));
    const auto sub = api.call("GET", "/api/v1/snapshots/17/files?path=sub");
    BOOST_TEST(contains(sub.body, R"("name":"b.bin")"));
}

BOOST_AUTO_TEST_CASE(files_pages_with_an_opaque_cursor) {
    Api api;
    const auto first = api.call("GET", "/api/v1/snapshots/17/files?limit=2");
    BOOST_TEST(contains(first.body, R"("name":"link")"));
    BOOST_TEST(!contains(first.body, R"("name":"sub")"));
    BOOST_TEST(contains(first.body, R"("next":"6c696e6b")"));  // "link"
    const auto second = api.call("GET", "/api/v1/snapshots/17/files?limit=2&cursor=6c696e6b");
    BOOST_TEST(contains(second.body, R"("entries":[{"name":"sub")"));
    BOOST_TEST(contains(second.body, R"("next":null)"));
    BOOST_TEST(api.call("GET", "/api/v1/snapshots/17/files?cursor=6c6").status == 400);
    BOOST_TEST(api.call("GET", "/api/v1/snapshots/17/files?cursor=zz").status == 400);
}

BOOST_AUTO_TEST_CASE(bad_paths_are_refused_with_their_codes_and_never_followed) {
    Api api;
    const std::pair<const char*, int> cases[] = {
        {"/api/v1/snapshots/17/files?path=../photos", 400},
        {"/api/v1/snapshots/17/files?path=%2Fetc", 400},
        {"/api/v1/snapshots/17/files?path=sub//x", 400},
        {"/api/v1/snapshots/17/content?path=a%00b", 400},  // the query decoder refuses NUL
        {"/api/v1/snapshots/17/content?path=sub/./b.bin", 400},
        {"/api/v1/snapshots/17/content?path=", 400},
        {"/api/v1/snapshots/17/content", 400},
        {"/api/v1/snapshots/17/files?path=link/b.bin", 403},
        {"/api/v1/snapshots/17/content?path=link/b.bin", 403},
        {"/api/v1/snapshots/17/files?path=nothing", 404},
        {"/api/v1/snapshots/17/files?path=a.txt", 400},
    };
    for (const auto& [target, status] : cases)
        BOOST_TEST(api.call("GET", target).status == status, target);
    BOOST_TEST(contains(api.call("GET", "/api/v1/snapshots/17/files?path=../photos").body,
                        R"("code":"invalid_path")"));
    BOOST_TEST(contains(api.call("GET", "/api/v1/snapshots/17/content?path=link/b.bin").body,
                        R"("code":"symlink_in_path")"));
    BOOST_TEST(contains(api.call("GET", "/api/v1/snapshots/17/files?path=a.txt").body,
                        R"("code":"not_a_directory")"));
}

BOOST_AUTO_TEST_CASE(content_streams_the_whole_file_with_its_length_and_etag) {
    Api api;
    const auto response = api.call("GET", "/api/v1/snapshots/17/content?path=sub/b.bin");
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.content_type == "application/octet-stream");
    BOOST_TEST((response.content_length == std::optional<std::int64_t>(10)));
    BOOST_TEST(header(response, "ETag") == "\"d1g3st\"");
    BOOST_TEST(header(response, "Accept-Ranges") == "bytes");
    BOOST_TEST(header(response, "Content-Range") == "");
    BOOST_TEST(streamed_body(response) == "0123456789");
    const auto no_digest = api.call("GET", "/api/v1/snapshots/17/content?path=a.txt");
    BOOST_TEST(header(no_digest, "ETag") == "");
    BOOST_TEST(streamed_body(no_digest) == "hello");
}

BOOST_AUTO_TEST_CASE(a_single_range_answers_206_with_its_content_range) {
    Api api;
    const std::string target = "/api/v1/snapshots/17/content?path=sub/b.bin";
    const std::tuple<const char*, const char*, const char*> cases[] = {
        {"bytes=2-4", "234", "bytes 2-4/10"},
        {"bytes=7-", "789", "bytes 7-9/10"},
        {"bytes=-3", "789", "bytes 7-9/10"},
        {"bytes=8-100", "89", "bytes 8-9/10"},
    };
    for (const auto& [range, bytes, content_range] : cases) {
        const auto response = api.call("GET", target, "", range);
        BOOST_TEST(response.status == 206, range);
        BOOST_TEST(header(response, "Content-Range") == content_range, range);
        BOOST_TEST(header(response, "ETag") == "\"d1g3st\"");
        BOOST_TEST((response.content_length ==
                    std::optional<std::int64_t>(std::string_view(bytes).size())));
        BOOST_TEST(streamed_body(response) == bytes, range);
    }
}

BOOST_AUTO_TEST_CASE(an_unsatisfiable_range_is_416_and_several_ranges_get_the_whole_file) {
    Api api;
    const std::string target = "/api/v1/snapshots/17/content?path=sub/b.bin";
    const auto beyond = api.call("GET", target, "", "bytes=10-");
    BOOST_TEST(beyond.status == 416);
    BOOST_TEST(header(beyond, "Content-Range") == "bytes */10");
    BOOST_TEST(!beyond.next_chunk);
    const auto several = api.call("GET", target, "", "bytes=0-1,4-5");
    BOOST_TEST(several.status == 200);
    BOOST_TEST(streamed_body(several) == "0123456789");
}

BOOST_AUTO_TEST_CASE(content_of_a_directory_is_409_not_a_file) {
    Api api;
    const auto response = api.call("GET", "/api/v1/snapshots/17/content?path=sub");
    BOOST_TEST(response.status == 409);
    BOOST_TEST(contains(response.body, R"("code":"not_a_file")"));
    const auto link = api.call("GET", "/api/v1/snapshots/17/content?path=link");
    BOOST_TEST(link.status == 409);
}

BOOST_AUTO_TEST_SUITE_END()
