// Jobs of every kind (backup, restore, verify, prune): list with filters, read, cancel. The backup
// routes show the same jobs restricted to backups; these show them all.
#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/backups.hpp"
#include "job_answers.hpp"

namespace backupd::api {
namespace {

using namespace detail;

HttpResponse list(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {"kind", "state", "folder", "plan", "limit", "cursor"});
    if (!query.error.empty()) return bad_request(query.error);
    const auto filter = read_job_filter(query);
    if (const auto* error = std::get_if<std::string>(&filter)) return bad_request(*error);
    HttpResponse response;
    response.body = job_page_json(services.jobs.list(std::get<core::JobFilter>(filter)));
    return response;
}

HttpResponse show(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto id = id_parameter(request);
    if (!id) return bad_request("a job id is a positive whole number");
    const auto job = services.jobs.find(*id);
    if (!job) return no_such_job("job");
    HttpResponse response;
    response.body = job_json(*job);
    return response;
}

HttpResponse cancel(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto id = id_parameter(request);
    if (!id) return bad_request("a job id is a positive whole number");
    return cancel_answer(core::cancel_backup(services.jobs, *id), "job");
}

}  // namespace

void add_job_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    router.add("GET", "/api/v1/jobs", [s](const HttpRequest& r) { return list(*s, r); });
    router.add("GET", "/api/v1/jobs/{id}", [s](const HttpRequest& r) { return show(*s, r); });
    router.add("DELETE", "/api/v1/jobs/{id}", [s](const HttpRequest& r) { return cancel(*s, r); });
}

}  // namespace backupd::api
