// The dashboard's files as the router serves them (api/dashboard_routes.hpp), over a small set of
// assets made here: which bytes (gzip or identity), which cache headers, 304 on a matching
// If-None-Match, the security headers on every answer, 404 for an unknown asset, no token needed,
// and answered on the I/O threads.
#include "backupd/api/dashboard_routes.hpp"

#include <array>

#include <boost/test/unit_test.hpp>

#include "backupd/api/reject_unauthorized.hpp"
#include "route_fixture.hpp"
#include "web_bundle.hpp"

using namespace backupd;
using testing::contains;
using testing::header;

namespace {

constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

const std::string kPage =
    "<!doctype html><script src=\"assets/app.0123456789ab.js\"></script>" + std::string(500, ' ');
const std::string kPageGzip = api::bundle::gzip(kPage);
const std::string kScript = "console.log('hi');" + std::string(500, ';');
const std::string kScriptGzip = api::bundle::gzip(kScript);

const std::array<api::WebAsset, 3> kAssets{{
    {"/", "text/html; charset=utf-8", "\"page\"", kPage, kPageGzip, false},
    {"/assets/app.0123456789ab.js", "text/javascript; charset=utf-8", "\"app\"", kScript,
     kScriptGzip, true},
    {"/assets/logo.0123456789ab.svg", "image/svg+xml; charset=utf-8", "\"logo\"", "<svg/>", "",
     true},
}};

struct Dashboard {
    api::Router router;
    Dashboard() { api::add_dashboard_routes(router, kAssets); }

    api::HttpResponse get(std::string target, std::string accept_encoding = "",
                          std::string if_none_match = "", std::string method = "GET") {
        api::HttpRequest request;
        request.method = std::move(method);
        request.target = std::move(target);
        request.accept_encoding = std::move(accept_encoding);
        request.if_none_match = std::move(if_none_match);
        return router.route(request);
    }
};

bool has_security_headers(const api::HttpResponse& response) {
    return header(response, "Content-Security-Policy") == kPolicy &&
           header(response, "X-Content-Type-Options") == "nosniff" &&
           header(response, "Referrer-Policy") == "no-referrer";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dashboard_routes)

BOOST_AUTO_TEST_CASE(accepts_gzip_reads_codings_and_q_values) {
    BOOST_TEST(api::accepts_gzip("gzip"));
    BOOST_TEST(api::accepts_gzip("br, GZIP;q=0.5"));
    BOOST_TEST(api::accepts_gzip("gzip, deflate, br, zstd"));
    BOOST_TEST(api::accepts_gzip("x-gzip"));
    BOOST_TEST(api::accepts_gzip("*"));
    BOOST_TEST(!api::accepts_gzip(""));
    BOOST_TEST(!api::accepts_gzip("identity"));
    BOOST_TEST(!api::accepts_gzip("gzip;q=0"));
    BOOST_TEST(!api::accepts_gzip("gzip ; q=0.000, br"));
    BOOST_TEST(!api::accepts_gzip("*, gzip;q=0"));
    BOOST_TEST(!api::accepts_gzip("deflate, gzipx"));
}

BOOST_AUTO_TEST_CASE(none_match_hits_compares_tags_weakly) {
    BOOST_TEST(api::none_match_hits("\"a\"", "\"a\""));
    BOOST_TEST(api::none_match_hits("\"x\", W/\"a\"", "\"a\""));
    BOOST_TEST(api::none_match_hits("*", "\"a\""));
    BOOST_TEST(!api::none_match_hits("\"ab\"", "\"a\""));
    BOOST_TEST(!api::none_match_hits("a", "\"a\""));
}

BOOST_AUTO_TEST_CASE(the_page_is_revalidated_and_hashed_assets_are_cached_for_a_year) {
    Dashboard dashboard;
    const auto page = dashboard.get("/");
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.body == kPage);
    BOOST_TEST(page.content_type == "text/html; charset=utf-8");
    BOOST_TEST(header(page, "Cache-Control") == "no-cache");
    BOOST_TEST(header(page, "ETag") == "\"page\"");
    BOOST_TEST(has_security_headers(page));
    const auto script = dashboard.get("/assets/app.0123456789ab.js?x=1");
    BOOST_TEST(script.status == 200);
    BOOST_TEST(script.body == kScript);
    BOOST_TEST(script.content_type == "text/javascript; charset=utf-8");
    BOOST_TEST(header(script, "Cache-Control") == "public, max-age=31536000, immutable");
    BOOST_TEST(header(script, "ETag") == "\"app\"");
    BOOST_TEST(header(script, "Vary") == "Accept-Encoding");
    BOOST_TEST(header(script, "Content-Encoding") == "");
    BOOST_TEST(has_security_headers(script));
}

BOOST_AUTO_TEST_CASE(gzip_is_sent_only_to_clients_that_accept_it) {
    Dashboard dashboard;
    const auto compressed = dashboard.get("/assets/app.0123456789ab.js", "gzip, br");
    BOOST_TEST(compressed.body == kScriptGzip);
    BOOST_TEST(header(compressed, "Content-Encoding") == "gzip");
    BOOST_TEST(header(compressed, "Vary") == "Accept-Encoding");
    BOOST_TEST(header(compressed, "ETag") == "\"app-gz\"");
    const auto refused = dashboard.get("/assets/app.0123456789ab.js", "gzip;q=0");
    BOOST_TEST(refused.body == kScript);
    BOOST_TEST(header(refused, "Content-Encoding") == "");
    // An asset whose gzip was not smaller is sent as it is, whatever the client accepts.
    const auto logo = dashboard.get("/assets/logo.0123456789ab.svg", "gzip");
    BOOST_TEST(logo.body == "<svg/>");
    BOOST_TEST(header(logo, "Content-Encoding") == "");
    BOOST_TEST(header(logo, "ETag") == "\"logo\"");
}

BOOST_AUTO_TEST_CASE(a_matching_if_none_match_answers_304_with_no_body) {
    Dashboard dashboard;
    for (const char* tag : {"\"page\"", "\"page-gz\"", "W/\"page\"", "\"old\", \"page\"", "*"}) {
        const auto answer = dashboard.get("/", "gzip", tag);
        BOOST_TEST(answer.status == 304, tag);
        BOOST_TEST(answer.body.empty(), tag);
        BOOST_TEST(header(answer, "ETag") == "\"page-gz\"", tag);
        BOOST_TEST(header(answer, "Cache-Control") == "no-cache", tag);
        BOOST_TEST(has_security_headers(answer), tag);
    }
    BOOST_TEST(dashboard.get("/", "", "\"old\"").status == 200);
    BOOST_TEST(dashboard.get("/", "", "\"page\"").status == 304);
}

BOOST_AUTO_TEST_CASE(head_is_answered_like_get) {
    Dashboard dashboard;
    const auto head = dashboard.get("/assets/app.0123456789ab.js", "", "", "HEAD");
    BOOST_TEST(head.status == 200);
    BOOST_TEST(header(head, "ETag") == "\"app\"");
    BOOST_TEST(dashboard.get("/", "", "", "POST").status == 405);
}

BOOST_AUTO_TEST_CASE(an_unknown_asset_is_a_json_404_with_the_security_headers) {
    Dashboard dashboard;
    for (const char* target : {"/assets/app.ffffffffffff.js", "/assets/nope/deeper.css"}) {
        const auto answer = dashboard.get(target);
        BOOST_TEST(answer.status == 404, target);
        BOOST_TEST(contains(answer.body, R"("code":"not_found")"), target);
        BOOST_TEST(contains(answer.body, "No such asset: " + std::string(target)), target);
        BOOST_TEST(has_security_headers(answer), target);
    }
}

BOOST_AUTO_TEST_CASE(the_dashboard_is_served_on_the_io_threads) {
    Dashboard dashboard;
    api::HttpRequest request;
    for (const char* target : {"/", "/assets/app.0123456789ab.js", "/assets/unknown"}) {
        request.method = "GET";
        request.target = target;
        BOOST_TEST(dashboard.router.is_nonblocking(request), target);
        request.method = "HEAD";
        BOOST_TEST(dashboard.router.is_nonblocking(request), target);
    }
    request.method = "POST";
    request.target = "/";
    BOOST_TEST(!dashboard.router.is_nonblocking(request));
}

BOOST_AUTO_TEST_CASE(the_dashboard_needs_no_token_but_the_api_still_does) {
    Dashboard dashboard;
    const api::TokenSet tokens(std::vector<std::string>{"secret"});
    for (const char* target : {"/", "/assets/app.0123456789ab.js", "/assets/unknown"}) {
        api::HttpRequest request;
        request.method = "GET";
        request.target = target;
        BOOST_TEST(!api::reject_unauthorized(tokens, dashboard.router, request).has_value(),
                   target);
    }
    for (const char* target : {"/api/v1/stats", "/index.html", "/assetsx"}) {
        api::HttpRequest request;
        request.method = "GET";
        request.target = target;
        const auto refused = api::reject_unauthorized(tokens, dashboard.router, request);
        BOOST_TEST((refused && refused->status == 401), target);
    }
}

BOOST_AUTO_TEST_SUITE_END()
