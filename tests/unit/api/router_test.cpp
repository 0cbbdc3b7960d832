#include "backupd/api/router.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::api;

namespace {
HttpRequest request(std::string method, std::string target, std::string authorization = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.authorization = std::move(authorization);
    return r;
}
Router sample_router() {
    Router router;
    router.add("GET", "/things", [](const HttpRequest&) {
        return HttpResponse{200, "text/plain", "list", {}};
    });
    router.add("POST", "/things", [](const HttpRequest& r) {
        return HttpResponse{202, "text/plain", r.body, {}};
    });
    return router;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(routes_by_method_and_path_ignoring_the_query) {
    const Router router = sample_router();
    BOOST_TEST(router.route(request("GET", "/things?x=1")).body == "list");
    BOOST_TEST(router.route(request("POST", "/things")).status == 202);
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404_with_a_json_error) {
    const auto response = sample_router().route(request("GET", "/nothing"));
    BOOST_TEST(response.status == 404);
    BOOST_TEST(response.body ==
               R"({"error":{"code":"not_found","message":"No such route: /nothing"}})");
}

BOOST_AUTO_TEST_CASE(wrong_method_is_405_listing_the_allowed_ones) {
    const auto response = sample_router().route(request("DELETE", "/things"));
    BOOST_TEST(response.status == 405);
    BOOST_REQUIRE(response.headers.size() == 1u);
    BOOST_TEST(response.headers[0].first == "Allow");
    BOOST_TEST(response.headers[0].second == "GET, POST");
}

BOOST_AUTO_TEST_CASE(head_is_answered_like_get) {
    BOOST_TEST(sample_router().route(request("HEAD", "/things")).status == 200);
}

BOOST_AUTO_TEST_CASE(routes_lists_every_method_and_path) {
    const auto routes = sample_router().routes();
    BOOST_TEST(routes == (std::vector<std::string>{"GET /things", "POST /things"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_segment_parameter_matches_one_segment_and_names_its_route) {
    Router router;
    router.add("GET", "/jobs/{id}", [](const HttpRequest& r) {
        return HttpResponse{200, "text/plain", std::string(r.parameter("id")), {}};
    });
    const auto found = router.route(request("GET", "/jobs/17?x=1"));
    BOOST_TEST(found.status == 200);
    BOOST_TEST(found.body == "17");
    BOOST_TEST(found.route == "GET /jobs/{id}");
    BOOST_TEST(router.route(request("GET", "/jobs/17/more")).status == 404);
    BOOST_TEST(router.route(request("GET", "/jobs/")).status == 404);
    const auto wrong = router.route(request("DELETE", "/jobs/17"));
    BOOST_TEST(wrong.status == 405);
    BOOST_TEST(wrong.headers.at(0).second == "GET");
}

BOOST_AUTO_TEST_CASE(a_rest_parameter_keeps_slashes_and_exact_paths_win) {
    Router router;
    router.add("POST", "/backup/{folder...}", [](const HttpRequest& r) {
        return HttpResponse{200, "text/plain", std::string(r.parameter("folder")), {}};
    });
    router.add("POST", "/backup/special", [](const HttpRequest&) {
        return HttpResponse{201, "text/plain", "exact", {}};
    });
    BOOST_TEST(router.route(request("POST", "/backup/a/b%20c")).body == "a/b%20c");
    BOOST_TEST(router.route(request("POST", "/backup/special")).status == 201);
    BOOST_TEST(router.route(request("POST", "/backup/")).status == 404);
    const auto routes = router.routes();
    BOOST_TEST(routes.size() == 2u);
    BOOST_TEST(routes.front() == "POST /backup/special");
    BOOST_TEST(routes.back() == "POST /backup/{folder...}");
}

BOOST_AUTO_TEST_CASE(a_segment_parameter_may_be_followed_by_fixed_segments) {
    Router router;
    router.add("GET", "/things/{id}", [](const HttpRequest& r) {
        return HttpResponse{200, "text/plain", "one " + std::string(r.parameter("id")), {}};
    });
    router.add("GET", "/things/{id}/parts", [](const HttpRequest& r) {
        return HttpResponse{200, "text/plain", "parts " + std::string(r.parameter("id")), {}};
    });
    BOOST_TEST(router.route(request("GET", "/things/17")).body == "one 17");
    const auto parts = router.route(request("GET", "/things/17/parts?limit=2"));
    BOOST_TEST(parts.body == "parts 17");
    BOOST_TEST(parts.route == "GET /things/{id}/parts");
    BOOST_TEST(router.route(request("GET", "/things//parts")).status == 404);
    BOOST_TEST(router.route(request("GET", "/things/1/2/parts")).status == 404);
    BOOST_TEST(router.route(request("GET", "/things/17/other")).status == 404);
    BOOST_CHECK_THROW(router.add("GET", "/x/{rest...}/y", nullptr), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(an_unknown_path_is_labelled_unmatched) {
    BOOST_TEST(sample_router().route(request("GET", "/nothing")).route == "unmatched");
    BOOST_TEST(sample_router().route(request("GET", "/things")).route == "GET /things");
}

BOOST_AUTO_TEST_CASE(only_routes_added_as_nonblocking_are_reported_so) {
    Router router = sample_router();
    router.add_nonblocking("GET", "/live", [](const HttpRequest&) { return HttpResponse{}; });
    BOOST_TEST(router.is_nonblocking(request("GET", "/live?x=1")));
    BOOST_TEST(router.is_nonblocking(request("HEAD", "/live")));
    BOOST_TEST(!router.is_nonblocking(request("POST", "/live")));
    BOOST_TEST(!router.is_nonblocking(request("GET", "/things")));
    BOOST_TEST(router.route(request("GET", "/live")).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
