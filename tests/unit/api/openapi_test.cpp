// api/openapi.yaml against the router: every route the daemon serves is documented under its own
// path with its own method, and the document lists nothing the daemon does not serve.
#include <cctype>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/dashboard_routes.hpp"
#include "backupd/api/health_routes.hpp"
#include "backupd/api/metrics.hpp"
#include "backupd/api/router.hpp"

namespace backupd::api::detail {
std::string_view openapi_document();  // generated from api/openapi.yaml into backupd_api
}  // namespace backupd::api::detail

using namespace backupd;

namespace {

// The ports the routes need. Routes are only registered here, never called.
[[noreturn]] void unused() {
    throw std::logic_error("not used: the OpenAPI test only registers routes");
}

class UnusedJobQueue final : public core::JobQueue {
public:
    core::Job enqueue(const core::NewJob&) override { unused(); }
    std::vector<core::Job> enqueue_batch(const std::vector<core::NewJob>&) override { unused(); }
    std::optional<core::Claim> claim(const core::LeaseOwner&) override { unused(); }
    bool heartbeat(const core::Claim&, const core::Progress&) override { unused(); }
    bool finish(const core::Claim&, const core::JobOutcome&) override { unused(); }
    bool release(const core::Claim&) override { unused(); }
    core::CancelResult cancel(core::JobId) override { unused(); }
    core::ReapResult reap_expired(std::size_t) override { unused(); }
    core::ReapResult expire_previous_incarnations(const core::LeaseOwner&) override { unused(); }
    std::optional<core::Job> find(core::JobId) override { unused(); }
    core::JobPage list(const core::JobFilter&) override { unused(); }
    core::Stats stats() override { unused(); }
    std::vector<core::DayCounts> daily_counts(core::JobKind, core::TimeRange) override { unused(); }
};

class UnusedAuditLog final : public core::AuditLog {
public:
    core::AuditId append(const core::NewAuditRecord&) override { unused(); }
    core::AuditPage page(const core::AuditQuery&) override { unused(); }
};

class UnusedPlanStore final : public core::PlanStore {
public:
    core::Plan create(const core::PlanSpec&) override { unused(); }
    std::optional<core::Plan> replace(const core::PlanSpec&) override { unused(); }
    bool remove(std::string_view) override { unused(); }
    std::optional<core::Plan> find(std::string_view) override { unused(); }
    std::vector<core::Plan> list() override { unused(); }
    std::vector<core::FiredRun> fire_due(std::size_t) override { unused(); }
};

class UnusedSourceFolders final : public core::SourceFolders {
public:
    std::optional<core::JobError> check(std::string_view) const override { unused(); }
    std::optional<core::JobError> check_name(std::string_view) const override { unused(); }
};

// Every "METHOD /path" the daemon serves, wired as daemon/src/serve_command.cpp wires it, with
// "{name...}" written as OpenAPI writes a parameter: "{name}".
std::set<std::string> served_operations() {
    UnusedJobQueue jobs;
    UnusedAuditLog audit;
    const UnusedSourceFolders folders;
    UnusedPlanStore plans;
    const api::RequestMetrics metrics;
    const api::ApiServices services{
        .jobs = jobs, .audit = audit, .folders = folders, .plans = &plans};
    api::Router router;
    api::add_health_routes(router);
    api::add_dashboard_routes(router, api::embedded_web_assets());
    api::add_api_routes(router, services, metrics);
    std::set<std::string> out;
    for (std::string route : router.routes()) {
        if (const auto rest = route.find("...}"); rest != std::string::npos) route.erase(rest, 3);
        out.insert(std::move(route));
    }
    return out;
}

std::size_t indent_of(std::string_view line) {
    return line.find_first_not_of(' ');
}

// The key of a "key:" line, without quotes, or "" when the line is not a bare mapping key.
std::string key_of(std::string_view line) {
    line.remove_prefix(indent_of(line));
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (!line.ends_with(':')) return "";
    line.remove_suffix(1);
    if (line.size() >= 2 && (line.front() == '\'' || line.front() == '"') &&
        line.back() == line.front()) {
        line = line.substr(1, line.size() - 2);
    }
    return std::string(line);
}

// Every "METHOD /path" under the top-level `paths:` of an OpenAPI document in block style, as
// api/openapi.yaml is written: a path is a key indented 2 spaces, its operations are the HTTP
// method keys indented 4 spaces beneath it. Anything else (summaries, parameters, responses,
// folded descriptions) is deeper or not a method, and is skipped.
std::set<std::string> documented_operations(std::string_view document) {
    static const std::set<std::string, std::less<>> kMethods = {
        "get", "put", "post", "delete", "options", "head", "patch", "trace"};
    std::set<std::string> out;
    bool in_paths = false;
    std::string path;
    while (!document.empty()) {
        const auto end = document.find('\n');
        std::string_view line = document.substr(0, end);
        document.remove_prefix(end == std::string_view::npos ? document.size() : end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t indent = indent_of(line);
        if (indent == std::string_view::npos || line[indent] == '#') continue;  // blank, comment
        if (indent == 0) {
            in_paths = key_of(line) == "paths";
            path.clear();
            continue;
        }
        if (!in_paths) continue;
        if (indent == 2) {
            path = key_of(line);
        } else if (indent == 4 && !path.empty()) {
            std::string method = key_of(line);
            if (!kMethods.contains(method)) continue;
            for (char& c : method)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            method += ' ';
            method += path;
            out.insert(std::move(method));
        }
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openapi)

BOOST_AUTO_TEST_CASE(documented_operations_belong_to_the_path_they_are_nested_under) {
    const std::string_view document =
        "openapi: 3.0.3\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      description: >-\n"
        "        post:\n"
        "    parameters: []\n"
        "  '/b/{id}':\n"
        "\n"
        "    # a comment\n"
        "    delete:\n"
        "      responses:\n"
        "        '200':\n"
        "          get:\n"
        "components:\n"
        "  /c:\n"
        "    put:\n";
    BOOST_TEST(
        documented_operations(document) == (std::set<std::string>{"DELETE /b/{id}", "GET /a"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_daemon_serves_the_routes_of_design_section_7_and_issue_10) {
    const auto served = served_operations();
    for (const char* route : {"POST /api/v1/backups",
                              "GET /api/v1/backups",
                              "GET /api/v1/backups/{id}",
                              "DELETE /api/v1/backups/{id}",
                              "POST /backup/{folder}",
                              "GET /api/v1/logs",
                              "GET /logs",
                              "GET /api/v1/stats",
                              "GET /stats",
                              "GET /healthz",
                              "GET /readyz",
                              "GET /metrics",
                              "GET /api/v1/openapi.yaml",
                              "GET /api/v1/jobs",
                              "GET /api/v1/jobs/{id}",
                              "DELETE /api/v1/jobs/{id}",
                              "GET /api/v1/snapshots",
                              "GET /api/v1/snapshots/{id}",
                              "GET /api/v1/snapshots/{id}/files",
                              "GET /api/v1/snapshots/{id}/content",
                              "POST /api/v1/snapshots/{id}/verify",
                              "POST /api/v1/restores"}) {
        BOOST_TEST(served.contains(route), route << " is served");
    }
}

BOOST_AUTO_TEST_CASE(the_daemon_serves_the_plan_and_pin_routes_of_issue_11) {
    const auto served = served_operations();
    for (const char* route : {"POST /api/v1/plans", "GET /api/v1/plans", "GET /api/v1/plans/{name}",
                              "PUT /api/v1/plans/{name}", "DELETE /api/v1/plans/{name}",
                              "POST /api/v1/plans/{name}/run", "POST /api/v1/plans/{name}/prune",
                              "DELETE /api/v1/snapshots/{id}", "POST /api/v1/snapshots/{id}/pin",
                              "DELETE /api/v1/snapshots/{id}/pin"}) {
        BOOST_TEST(served.contains(route), route << " is served");
    }
}

BOOST_AUTO_TEST_CASE(every_route_the_router_knows_is_documented_under_its_path_and_method) {
    const auto documented = documented_operations(api::detail::openapi_document());
    for (const auto& route : served_operations()) {
        BOOST_TEST(documented.contains(route), route << " is in api/openapi.yaml under paths:");
    }
}

BOOST_AUTO_TEST_CASE(every_documented_operation_is_a_route_the_router_knows) {
    const auto served = served_operations();
    const auto documented = documented_operations(api::detail::openapi_document());
    BOOST_TEST(!documented.empty());
    for (const auto& operation : documented) {
        BOOST_TEST(served.contains(operation), operation << " in api/openapi.yaml is served");
    }
}

BOOST_AUTO_TEST_SUITE_END()
