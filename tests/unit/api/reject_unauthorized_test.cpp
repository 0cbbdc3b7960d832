// The token and scope check in front of the real routes (over the fakes of route_fixture.hpp),
// as the server runs it: 401 without a known token, 403 insufficient_scope without the route's
// scope (and nothing done), the handler otherwise; an in-place restore needs admin.
#include "backupd/api/reject_unauthorized.hpp"

#include <boost/test/unit_test.hpp>

#include "backupd/api/health_routes.hpp"
#include "printing.hpp"
#include "route_fixture.hpp"
#include "scope_printing.hpp"

using namespace backupd;
using testing::contains;
using testing::header;

namespace {

api::HttpRequest request(std::string method, std::string target, std::string authorization = "") {
    api::HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.authorization = std::move(authorization);
    return r;
}

// The real routes behind tokens `read-token` (read), `backup-token` (backup), `both-token`
// (read,backup), `admin-token` (admin) and `all-token` (no scopes: every one).
struct Guarded : testing::RouteFixture {
    api::TokenSet tokens = api::TokenSet::parse(
        "read-token scopes=read\nbackup-token scopes=backup\nboth-token scopes=read,backup\n"
        "admin-token scopes=admin\nall-token\n",
        "test");

    Guarded() { api::add_health_routes(router); }

    // As server::answer_request: the check, then the handler.
    api::HttpResponse as(const std::string& token, std::string method, std::string target,
                         std::string body = "") {
        api::HttpRequest r =
            request(std::move(method), std::move(target), token.empty() ? "" : "Bearer " + token);
        r.body = std::move(body);
        r.content_type = "application/json";
        r.client_address = "127.0.0.1";
        if (auto refused = api::reject_unauthorized(tokens, router, r)) return *refused;
        return router.route(r);
    }

    bool refused_for_scope(const api::HttpResponse& response, std::string_view scope) {
        return response.status == 403 && contains(response.body, "insufficient_scope") &&
               contains(response.body, "needs: " + std::string(scope)) &&
               contains(header(response, "WWW-Authenticate"), "scope=\"" + std::string(scope));
    }
};

constexpr const char* kPlan =
    R"({"name": "p", "folder": "photos", "schedule": "@every 60s", "enabled": true})";
constexpr const char* kInPlace = R"({"snapshot": 17, "in_place": true, "overwrite": "always"})";

}  // namespace

BOOST_AUTO_TEST_SUITE(reject_unauthorized_check)

BOOST_AUTO_TEST_CASE(tokens_guard_every_route_but_healthz) {
    const api::TokenSet tokens(std::vector<std::string>{"alpha", "beta"});
    api::Router router;
    api::add_health_routes(router);
    auto r = request("GET", "/healthz");
    BOOST_TEST(!api::reject_unauthorized(tokens, router, r).has_value());
    r = request("GET", "/things");
    const auto missing = api::reject_unauthorized(tokens, router, r);
    BOOST_REQUIRE(missing.has_value());
    BOOST_TEST(missing->status == 401);
    BOOST_TEST(header(*missing, "WWW-Authenticate") == "Bearer");
    for (const char* wrong : {"Bearer gamma", "bearer beta", "Bearer alph", "Bearer beta "}) {
        r = request("GET", "/things", wrong);
        BOOST_TEST(api::reject_unauthorized(tokens, router, r).has_value(), wrong);
    }
    r = request("GET", "/things", "Bearer beta");
    BOOST_TEST(!api::reject_unauthorized(tokens, router, r).has_value());
    BOOST_TEST(r.scopes == api::ScopeSet::all());
    r = request("GET", "/things");
    r.scopes = api::ScopeSet{};
    BOOST_TEST(!api::reject_unauthorized(api::TokenSet{}, router, r).has_value());
    BOOST_TEST(r.scopes == api::ScopeSet::all(), "no tokens: every scope");
}

BOOST_AUTO_TEST_CASE(a_read_token_reads_and_changes_nothing) {
    Guarded api;
    BOOST_TEST(api.as("read-token", "GET", "/api/v1/stats").status == 200);
    BOOST_TEST(api.as("read-token", "HEAD", "/api/v1/jobs").status == 200);
    BOOST_TEST(api.as("read-token", "GET", "/api/v1/snapshots/17").status == 200);
    BOOST_TEST(api.as("read-token", "GET", "/metrics").status == 200);
    const auto audited = api.audit.records().size();
    BOOST_TEST(api.refused_for_scope(
        api.as("read-token", "POST", "/api/v1/backups", R"({"folder": "photos"})"), "backup"));
    BOOST_TEST(api.refused_for_scope(api.as("read-token", "POST", "/backup/photos"), "backup"));
    BOOST_TEST(
        api.refused_for_scope(api.as("read-token", "POST", "/api/v1/plans", kPlan), "admin"));
    BOOST_TEST(api.jobs.jobs().empty(), "no job was created");
    BOOST_TEST(api.plans.list().empty());
    BOOST_TEST(api.audit.records().size() == audited, "a 403 writes no audit record, as a 401");
}

BOOST_AUTO_TEST_CASE(a_backup_token_backs_up_cancels_verifies_and_restores_beside) {
    Guarded api;
    const auto submitted =
        api.as("backup-token", "POST", "/api/v1/backups", R"({"folder":"photos"})");
    BOOST_TEST(submitted.status == 202);
    BOOST_TEST(api.as("backup-token", "DELETE", "/api/v1/jobs/1").status == 200);
    BOOST_TEST(api.as("backup-token", "POST", "/api/v1/snapshots/17/verify").status == 202);
    BOOST_TEST(api.as("backup-token", "POST", "/api/v1/restores", R"({"snapshot": 17})").status ==
               202);
    BOOST_TEST(api.refused_for_scope(api.as("backup-token", "GET", "/api/v1/jobs/1"), "read"));
    BOOST_TEST(
        api.refused_for_scope(api.as("backup-token", "POST", "/api/v1/plans", kPlan), "admin"));
    BOOST_TEST(
        api.refused_for_scope(api.as("backup-token", "DELETE", "/api/v1/snapshots/17"), "admin"));
    BOOST_TEST(
        api.refused_for_scope(api.as("backup-token", "POST", "/api/v1/snapshots/17/pin"), "admin"));
    const auto jobs_before = api.jobs.jobs().size();
    BOOST_TEST(
        api.refused_for_scope(api.as("both-token", "POST", "/api/v1/restores", kInPlace), "admin"));
    BOOST_TEST(api.jobs.jobs().size() == jobs_before, "the in-place restore made no job");
    BOOST_TEST(api.plans.list().empty());
    BOOST_TEST(!api.snapshots.find(17)->pinned);
}

BOOST_AUTO_TEST_CASE(an_admin_token_and_a_token_without_scopes_may_do_everything) {
    for (const std::string token : {"admin-token", "all-token"}) {
        Guarded api;
        BOOST_TEST(api.as(token, "GET", "/api/v1/stats").status == 200, token);
        BOOST_TEST(api.as(token, "POST", "/api/v1/backups", R"({"folder":"photos"})").status ==
                   202);
        BOOST_TEST(api.as(token, "POST", "/api/v1/plans", kPlan).status == 201);
        BOOST_TEST(api.as(token, "POST", "/api/v1/snapshots/17/pin").status == 200);
        BOOST_TEST(api.as(token, "DELETE", "/api/v1/snapshots/17/pin").status == 200);
        BOOST_TEST(api.as(token, "POST", "/api/v1/restores", kInPlace).status == 202);
        BOOST_TEST(api.as(token, "DELETE", "/api/v1/snapshots/17").status == 202);
    }
}

BOOST_AUTO_TEST_CASE(routes_not_served_are_404_or_405_for_any_known_token_and_401_without) {
    Guarded api;
    BOOST_TEST(api.as("read-token", "POST", "/api/v1/nothing").status == 404);
    BOOST_TEST(api.as("read-token", "PATCH", "/api/v1/plans/p").status == 405);
    BOOST_TEST(api.as("", "POST", "/api/v1/nothing").status == 401);
    BOOST_TEST(api.as("", "GET", "/healthz").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
