// The route -> scope table against the real routes: every route the daemon serves needs the
// scope docs/design.md section 8 names, the table names no route the router lacks, and what the
// table does not know needs admin.
#include "backupd/api/route_scopes.hpp"

#include <map>
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "backupd/api/dashboard_routes.hpp"
#include "backupd/api/health_routes.hpp"
#include "printing.hpp"
#include "route_fixture.hpp"
#include "scope_printing.hpp"

using namespace backupd;
using api::Scope;

namespace {

// Every route of the daemon, wired as daemon/src/serve_command.cpp wires it.
std::vector<std::string> served_routes() {
    testing::RouteFixture api;
    api::add_health_routes(api.router);
    api::add_dashboard_routes(api.router, api::embedded_web_assets());
    return api.router.routes();
}

// (method, pattern) of a "METHOD pattern" route.
std::pair<std::string, std::string> split(const std::string& route) {
    const auto space = route.find(' ');
    return {route.substr(0, space), route.substr(space + 1)};
}

// The routes that change something and their scope, as the design lists them.
const std::map<std::string, Scope> kWriting = {
    {"POST /api/v1/backups", Scope::backup},
    {"DELETE /api/v1/backups/{id}", Scope::backup},
    {"POST /backup/{folder...}", Scope::backup},
    {"DELETE /api/v1/jobs/{id}", Scope::backup},
    {"POST /api/v1/restores", Scope::backup},
    {"POST /api/v1/snapshots/{id}/verify", Scope::backup},
    {"POST /api/v1/plans", Scope::admin},
    {"PUT /api/v1/plans/{name}", Scope::admin},
    {"DELETE /api/v1/plans/{name}", Scope::admin},
    {"POST /api/v1/plans/{name}/run", Scope::admin},
    {"POST /api/v1/plans/{name}/prune", Scope::admin},
    {"DELETE /api/v1/snapshots/{id}", Scope::admin},
    {"POST /api/v1/snapshots/{id}/pin", Scope::admin},
    {"DELETE /api/v1/snapshots/{id}/pin", Scope::admin},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(route_scopes)

BOOST_AUTO_TEST_CASE(every_served_route_needs_the_scope_the_design_names) {
    const auto routes = served_routes();
    BOOST_TEST(routes.size() >= 30U);
    std::set<std::string> writing_seen;
    for (const std::string& route : routes) {
        const auto [method, pattern] = split(route);
        const Scope needed = api::required_scope(method, pattern);
        if (method == "GET") {
            BOOST_TEST(needed == Scope::read, route);
            continue;
        }
        const auto expected = kWriting.find(route);
        BOOST_TEST_REQUIRE((expected != kWriting.end()), route << " has an expected scope");
        BOOST_TEST(needed == expected->second, route);
        writing_seen.insert(route);
    }
    BOOST_TEST(writing_seen.size() == kWriting.size(), "every expected route is served");
}

BOOST_AUTO_TEST_CASE(the_table_names_every_writing_route_and_only_served_ones) {
    const auto routes = served_routes();
    const std::set<std::string> served(routes.begin(), routes.end());
    std::set<std::string> listed;
    for (const auto& row : api::route_scopes()) {
        const std::string route = std::string(row.method) + " " + std::string(row.route);
        BOOST_TEST(served.contains(route), route << " in the table is served");
        BOOST_TEST(listed.insert(route).second, route << " is listed once");
    }
    for (const std::string& route : routes) {
        if (!route.starts_with("GET "))
            BOOST_TEST(listed.contains(route), route << " has its row in the table");
    }
}

BOOST_AUTO_TEST_CASE(a_route_the_table_does_not_know_needs_admin_and_reads_need_read) {
    BOOST_TEST(api::required_scope("POST", "/api/v1/something-new") == Scope::admin);
    BOOST_TEST(api::required_scope("PATCH", "/api/v1/backups/{id}") == Scope::admin);
    BOOST_TEST(api::required_scope("post", "/api/v1/backups") == Scope::admin);
    BOOST_TEST(api::required_scope("HEAD", "/api/v1/snapshots/{id}/content") == Scope::read);
    BOOST_TEST(api::required_scope("GET", "/metrics") == Scope::read);
}

BOOST_AUTO_TEST_CASE(only_healthz_and_the_dashboards_files_need_no_token) {
    for (const char* path : {"/healthz", "/", "/assets/app.0123456789ab.js", "/assets/a/b.css"})
        BOOST_TEST(api::needs_no_token(path), path);
    for (const char* path : {"/api/v1/stats", "/assets", "/assetsx/a.js", "/index.html", "/metrics",
                             "/readyz", "/api/v1/openapi.yaml", ""})
        BOOST_TEST(!api::needs_no_token(path), path);
}

BOOST_AUTO_TEST_CASE(an_in_place_restore_needs_admin_and_one_into_the_restore_root_backup) {
    BOOST_TEST(api::restore_scope(false) == Scope::backup);
    BOOST_TEST(api::restore_scope(true) == Scope::admin);
}

BOOST_AUTO_TEST_CASE(the_403_names_the_missing_scope) {
    const auto response = api::insufficient_scope(Scope::admin);
    BOOST_TEST(response.status == 403);
    BOOST_TEST(response.body.find(R"("code":"insufficient_scope")") != std::string::npos);
    BOOST_TEST(response.body.find("lacks the scope this request needs: admin") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
