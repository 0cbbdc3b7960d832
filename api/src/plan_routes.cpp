// Plans: create, list, read, replace, delete, run now, and prune (or preview the prune). Each
// handler reads the request, calls one function of core/plans.hpp or one PlanStore call, and
// shapes the answer. A refused body stores nothing.
#include <variant>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/error_status.hpp"
#include "backupd/api/json.hpp"
#include "backupd/api/plan_json.hpp"
#include "backupd/core/plans.hpp"
#include "backupd/core/utf8.hpp"
#include "job_answers.hpp"
#include "plan_access.hpp"

namespace backupd::api {
namespace {

using namespace detail;

HttpResponse no_such_plan(std::string_view name) {
    return error_response(core::ErrorCode::not_found,
                          "No such plan: " + core::to_valid_utf8(name, 64));
}

HttpResponse plan_answer(int status, const core::Plan& plan) {
    HttpResponse response;
    response.status = status;
    response.body = plan_json(plan);
    return response;
}

// The checked spec of a POST or PUT body, or the answer refusing it. `path_name` is the PUT's
// {name} (the body's "name", if any, must equal it); empty for a POST, whose body must name it.
std::variant<core::PlanSpec, HttpResponse> checked_spec(const ApiServices& services,
                                                        const HttpRequest& request,
                                                        std::string_view path_name) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    if (!is_json(request.content_type))
        return error_response(core::ErrorCode::unsupported_media_type);
    auto parsed = parse_plan_request(request.body);
    if (!parsed.ok()) return bad_request(parsed.error);
    if (path_name.empty() && !parsed.has_name) return bad_request(R"("name" is required)");
    if (!path_name.empty()) {
        if (parsed.has_name && parsed.spec.name != path_name) {
            return bad_request("\"name\" must be the plan's name in the path ('" +
                               core::to_valid_utf8(path_name, 64) + "') when given");
        }
        parsed.spec.name = std::string(path_name);
    }
    if (const auto refused = core::check_plan(parsed.spec, services.folders))
        return error_response(refused->code, refused->message);
    return std::move(parsed.spec);
}

HttpResponse create(const ApiServices& services, const HttpRequest& request) {
    const auto ports = plan_ports(services);
    if (!ports) return plans_not_served();
    auto spec = checked_spec(services, request, {});
    if (auto* refused = std::get_if<HttpResponse>(&spec)) return std::move(*refused);
    try {
        const core::Plan plan = ports->plans.create(std::get<core::PlanSpec>(spec));
        HttpResponse response = plan_answer(201, plan);
        response.headers.emplace_back("Location", "/api/v1/plans/" + plan.spec.name);
        return response;
    } catch (const core::Error& e) {
        if (e.code() != core::ErrorCode::plan_exists) throw;
        return error_for(e);
    }
}

HttpResponse list(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto ports = plan_ports(services);
    if (!ports) return plans_not_served();
    HttpResponse response;
    response.body = plan_list_json(ports->plans.list());
    return response;
}

HttpResponse show(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto ports = plan_ports(services);
    if (!ports) return plans_not_served();
    const auto name = request.parameter("name");
    const auto plan = ports->plans.find(name);
    if (!plan) return no_such_plan(name);
    return plan_answer(200, *plan);
}

HttpResponse replace(const ApiServices& services, const HttpRequest& request) {
    const auto ports = plan_ports(services);
    if (!ports) return plans_not_served();
    const auto name = request.parameter("name");
    auto spec = checked_spec(services, request, name);
    if (auto* refused = std::get_if<HttpResponse>(&spec)) return std::move(*refused);
    const auto plan = ports->plans.replace(std::get<core::PlanSpec>(spec));
    if (!plan) return no_such_plan(name);
    return plan_answer(200, *plan);
}

HttpResponse remove(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto ports = plan_ports(services);
    if (!ports) return plans_not_served();
    const auto name = request.parameter("name");
    if (!ports->plans.remove(name)) return no_such_plan(name);
    HttpResponse response;
    response.status = 204;
    return response;
}

// POST /api/v1/plans/{name}/run[?wait=N]: answered like a submitted backup.
HttpResponse run(const ApiServices& services, const HttpRequest& request) {
    const auto asked = submission_wait(services, request);
    if (const auto* refused = std::get_if<HttpResponse>(&asked)) return *refused;
    const auto ports = plan_ports(services);
    if (!ports) return plans_not_served();
    const auto name = request.parameter("name");
    const auto job = core::run_plan_now(*ports, name, request.client_address);
    if (!job) return no_such_plan(name);
    const bool rejected = job->state == core::JobState::failed && job->error.has_value();
    return submitted_answer(services, *job, rejected, std::get<std::chrono::seconds>(asked));
}

// POST /api/v1/plans/{name}/prune?dry_run=true: what the retention decides (200), or without
// dry_run (or dry_run=false) a prune job (202).
HttpResponse prune(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {"dry_run"});
    if (!query.error.empty()) return bad_request(query.error);
    const auto dry_run = query.get("dry_run").value_or("false");
    if (dry_run != "true" && dry_run != "false")
        return bad_request("dry_run must be true or false");
    const auto ports = plan_ports(services);
    if (!ports) return plans_not_served();
    const auto name = request.parameter("name");
    if (dry_run == "false") {
        const auto job = core::prune_plan(*ports, name, request.client_address);
        if (!job) return no_such_plan(name);
        return job_answer(202, *job);
    }
    const auto plan = ports->plans.find(name);
    if (!plan) return no_such_plan(name);
    const auto decisions = core::preview_prune(*ports, name);
    if (!decisions) return no_such_plan(name);  // deleted meanwhile
    HttpResponse response;
    response.body = prune_preview_json(*plan, *decisions);
    return response;
}

}  // namespace

void add_plan_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    router.add("POST", "/api/v1/plans", [s](const HttpRequest& r) { return create(*s, r); });
    router.add("GET", "/api/v1/plans", [s](const HttpRequest& r) { return list(*s, r); });
    router.add("GET", "/api/v1/plans/{name}", [s](const HttpRequest& r) { return show(*s, r); });
    router.add("PUT", "/api/v1/plans/{name}", [s](const HttpRequest& r) { return replace(*s, r); });
    router.add("DELETE", "/api/v1/plans/{name}",
               [s](const HttpRequest& r) { return remove(*s, r); });
    router.add("POST", "/api/v1/plans/{name}/run",
               [s](const HttpRequest& r) { return run(*s, r); });
    router.add("POST", "/api/v1/plans/{name}/prune",
               [s](const HttpRequest& r) { return prune(*s, r); });
}

}  // namespace backupd::api
