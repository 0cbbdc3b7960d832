// Backups: submit one folder or a batch, read, list, cancel, and the case study's
// POST /backup/{folder}, which waits for the outcome. Each handler reads the request, calls
// one function of core/backups.hpp (or one port call), and shapes the answer.
#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/backups.hpp"
#include "job_answers.hpp"

namespace backupd::api {
namespace {

using namespace detail;

core::BackupPorts ports_of(const ApiServices& services) {
    return {services.jobs, services.folders, services.job_queued};
}

HttpResponse no_such_backup() {
    return no_such_job("backup job");
}

// The job `id` if it is a backup: the backup routes never show another kind.
std::optional<core::Job> find_backup(const ApiServices& services, core::JobId id) {
    auto job = services.jobs.find(id);
    if (job && job->kind != core::JobKind::backup) job.reset();
    return job;
}

HttpResponse batch_answer(const std::string& batch_id, const std::vector<core::Job>& jobs,
                          bool waited) {
    HttpResponse response;
    // 202 as docs/design.md section 7 says; 200 only when the client waited and every job has
    // ended.
    response.status = waited && core::all_ended(jobs) ? 200 : 202;
    response.body = batch_json(batch_id, jobs);
    return response;
}

HttpResponse submit(const ApiServices& services, const HttpRequest& request) {
    const auto asked = submission_wait(services, request);
    if (const auto* refused = std::get_if<HttpResponse>(&asked)) return *refused;
    const auto wait = std::get<std::chrono::seconds>(asked);
    if (!is_json(request.content_type)) {
        return error_response(core::ErrorCode::unsupported_media_type);
    }
    const auto parsed = parse_backup_request(request.body);
    if (!parsed.ok()) return bad_request(parsed.error);

    const auto submitted = core::submit_backups(
        ports_of(services),
        {parsed.request.folders, parsed.request.batch, request.client_address, std::nullopt});
    if (!submitted.batch_id) {
        const auto& item = submitted.items.front();
        return submitted_answer(services, item.job, item.rejected, wait);
    }
    std::vector<core::Job> jobs;
    std::vector<core::JobId> ids;
    for (const auto& item : submitted.items) {
        jobs.push_back(item.job);
        ids.push_back(item.job.id);
    }
    if (wait.count() == 0) return batch_answer(*submitted.batch_id, jobs, false);
    return wait_for(services, std::move(ids), wait,
                    [batch_id = *submitted.batch_id](const std::vector<core::Job>& current) {
                        return batch_answer(batch_id, current, true);
                    });
}

HttpResponse show(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto id = id_parameter(request);
    if (!id) return bad_request("a backup id is a positive whole number");
    const auto job = find_backup(services, *id);
    if (!job) return no_such_backup();
    HttpResponse response;
    response.body = job_json(*job);
    return response;
}

HttpResponse list(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {"state", "folder", "limit", "cursor"});
    if (!query.error.empty()) return bad_request(query.error);
    auto filter = read_job_filter(query);
    if (const auto* error = std::get_if<std::string>(&filter)) return bad_request(*error);
    std::get<core::JobFilter>(filter).kind = core::JobKind::backup;
    HttpResponse response;
    response.body = job_page_json(services.jobs.list(std::get<core::JobFilter>(filter)));
    return response;
}

HttpResponse cancel(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto id = id_parameter(request);
    if (!id) return bad_request("a backup id is a positive whole number");
    if (!find_backup(services, *id)) return no_such_backup();
    return cancel_answer(core::cancel_backup(services.jobs, *id), "backup job");
}

// POST /backup/{folder...}: the folder is the rest of the path, %-decoded.
HttpResponse backup_short_form(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const std::string_view raw = request.parameter("folder");
    const auto decoded = percent_decode(raw);
    core::BackupSubmission submission{{decoded.ok() ? decoded.value : std::string(raw)},
                                      false,
                                      request.client_address,
                                      std::nullopt};
    if (!decoded.ok()) {
        submission.refusal =
            core::JobError{core::ErrorCode::invalid_folder_name,
                           core::message_for(core::ErrorCode::invalid_folder_name, decoded.error)};
    }
    const auto submitted = core::submit_backups(ports_of(services), submission);
    const auto& item = submitted.items.front();
    if (item.rejected) return rejection_answer(item.job);
    return wait_for(services, {item.job.id}, services.short_form_wait,
                    [](const auto& jobs) { return outcome_answer(jobs.front()); });
}

}  // namespace

void add_backup_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    router.add("POST", "/api/v1/backups", [s](const HttpRequest& r) { return submit(*s, r); });
    router.add("GET", "/api/v1/backups", [s](const HttpRequest& r) { return list(*s, r); });
    router.add("GET", "/api/v1/backups/{id}", [s](const HttpRequest& r) { return show(*s, r); });
    router.add("DELETE", "/api/v1/backups/{id}",
               [s](const HttpRequest& r) { return cancel(*s, r); });
    router.add("POST", "/backup/{folder...}",
               [s](const HttpRequest& r) { return backup_short_form(*s, r); });
}

}  // namespace backupd::api
