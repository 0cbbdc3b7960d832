// Backups: submit one folder or a batch, read, list, cancel, and the case study's
// POST /backup/{folder}, which waits for the outcome. Each handler reads the request, calls
// one function of core/backups.hpp (or one port call), and shapes the answer.
#include <variant>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/backups.hpp"
#include "request_checks.hpp"

namespace backupd::api {
namespace {

constexpr std::int64_t kMaxListLimit = 1000;

core::BackupPorts ports_of(const ApiServices& services) {
    return {services.jobs, services.folders, services.job_queued};
}

HttpResponse job_answer(int status, const core::Job& job) {
    HttpResponse response;
    response.status = status;
    response.body = job_json(job);
    response.headers.emplace_back("Location", "/api/v1/backups/" + std::to_string(job.id));
    return response;
}

HttpResponse bad_request(std::string_view message) {
    return error_response(core::ErrorCode::invalid_request, message);
}

HttpResponse no_such_job() {
    return error_response(core::ErrorCode::not_found, "No such backup job");
}

// The answer for a job after its submission was accepted: 200 when it succeeded, 500 when the
// copy failed, 409 when cancelled, 202 while it is not done.
HttpResponse outcome_answer(const core::Job& job) {
    switch (job.state) {
        case core::JobState::succeeded: return job_answer(200, job);
        case core::JobState::failed:
            return error_response(core::JobError{core::ErrorCode::backup_failed,
                                                 job.error ? job.error->message : std::string()},
                                  job);
        case core::JobState::cancelled:
            return error_response(
                core::JobError{
                    core::ErrorCode::cancelled,
                    job.error ? job.error->message : core::message_for(core::ErrorCode::cancelled)},
                job);
        case core::JobState::queued:
        case core::JobState::running: break;
    }
    return job_answer(202, job);
}

// A refused submission answers with its error's status and the failed job.
HttpResponse rejection_answer(const core::Job& job) {
    return error_response(job.error.value_or(core::JobError{}), job);
}

// Holds the answer until every job of `ids` has ended or `wait` passes (no thread is held
// while waiting; a job's change on this node wakes it), then answers with `answer`.
HttpResponse wait_for(const ApiServices& services, std::vector<core::JobId> ids,
                      std::chrono::seconds wait,
                      std::function<HttpResponse(const std::vector<core::Job>&)> answer) {
    auto deferred = std::make_shared<DeferredAnswer>();
    deferred->jobs = ids;
    deferred->watch = services.job_watch;
    deferred->deadline = std::chrono::steady_clock::now() + wait;
    deferred->recheck = services.wait_recheck;
    deferred->answer = [&jobs = services.jobs, ids = std::move(ids),
                        answer = std::move(answer)](bool last) -> std::optional<HttpResponse> {
        const auto current = core::find_jobs(jobs, ids);
        if (!current) return no_such_job();
        if (!last && !core::all_ended(*current)) return std::nullopt;
        return answer(*current);
    };
    HttpResponse response;
    response.deferred = std::move(deferred);
    return response;
}

// ?wait=N, bounded by services.max_wait; nullopt when malformed.
std::optional<std::chrono::seconds> read_wait(const ApiServices& services,
                                              const detail::Query& query) {
    const auto text = query.get("wait");
    if (!text) return std::chrono::seconds{0};
    const auto seconds = detail::read_number(*text, 0, services.max_wait.count());
    if (!seconds) return std::nullopt;
    return std::chrono::seconds{*seconds};
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
    const auto query = detail::read_query(request, {"wait"});
    if (!query.error.empty()) return bad_request(query.error);
    const auto wait = read_wait(services, query);
    if (!wait) {
        return bad_request("wait must be a whole number of seconds from 0 to " +
                           std::to_string(services.max_wait.count()));
    }
    if (!detail::is_json(request.content_type)) {
        return error_response(core::ErrorCode::unsupported_media_type);
    }
    const auto parsed = parse_backup_request(request.body);
    if (!parsed.ok()) return bad_request(parsed.error);

    const auto submitted = core::submit_backups(
        ports_of(services),
        {parsed.request.folders, parsed.request.batch, request.client_address, std::nullopt});
    if (!submitted.batch_id) {
        const auto& item = submitted.items.front();
        if (item.rejected) return rejection_answer(item.job);
        if (wait->count() == 0) return job_answer(202, item.job);
        return wait_for(services, {item.job.id}, *wait,
                        [](const auto& jobs) { return outcome_answer(jobs.front()); });
    }
    std::vector<core::Job> jobs;
    std::vector<core::JobId> ids;
    for (const auto& item : submitted.items) {
        jobs.push_back(item.job);
        ids.push_back(item.job.id);
    }
    if (wait->count() == 0) return batch_answer(*submitted.batch_id, jobs, false);
    return wait_for(services, std::move(ids), *wait,
                    [batch_id = *submitted.batch_id](const std::vector<core::Job>& current) {
                        return batch_answer(batch_id, current, true);
                    });
}

std::optional<core::JobId> job_id_of(const HttpRequest& request) {
    return detail::read_number(request.parameter("id"), 1, INT64_MAX);
}

HttpResponse show(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto id = job_id_of(request);
    if (!id) return bad_request("a backup id is a positive whole number");
    const auto job = services.jobs.find(*id);
    if (!job) return no_such_job();
    HttpResponse response;
    response.body = job_json(*job);
    return response;
}

// The filter of GET /api/v1/backups, or why the query is unacceptable.
std::variant<core::JobFilter, std::string> read_filter(const detail::Query& query) {
    core::JobFilter filter;
    if (const auto state = query.get("state")) {
        filter.state = core::parse_job_state(*state);
        if (!filter.state) return "state must be queued, running, succeeded, failed or cancelled";
    }
    if (const auto folder = query.get("folder")) filter.folder = std::string(*folder);
    if (const auto limit = query.get("limit")) {
        const auto value = detail::read_number(*limit, 1, kMaxListLimit);
        if (!value) return "limit must be a whole number from 1 to 1000";
        filter.limit = static_cast<std::size_t>(*value);
    }
    if (const auto cursor = query.get("cursor")) {
        filter.before = detail::read_number(*cursor, 1, INT64_MAX);
        if (!filter.before) return "cursor must be the 'next' value of a page";
    }
    return filter;
}

HttpResponse list(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {"state", "folder", "limit", "cursor"});
    if (!query.error.empty()) return bad_request(query.error);
    const auto filter = read_filter(query);
    if (const auto* error = std::get_if<std::string>(&filter)) return bad_request(*error);
    HttpResponse response;
    response.body = job_page_json(services.jobs.list(std::get<core::JobFilter>(filter)));
    return response;
}

HttpResponse cancel(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto id = job_id_of(request);
    if (!id) return bad_request("a backup id is a positive whole number");
    const auto cancelled = core::cancel_backup(services.jobs, *id);
    switch (cancelled.result) {
        case core::CancelResult::not_found: return no_such_job();
        case core::CancelResult::already_finished:
            return error_response(
                core::JobError{core::ErrorCode::already_finished,
                               core::message_for(core::ErrorCode::already_finished)},
                *cancelled.job);
        case core::CancelResult::cancelled: break;
    }
    HttpResponse response;
    response.body = job_json(*cancelled.job);
    return response;
}

// POST /backup/{folder...}: the folder is the rest of the path, %-decoded.
HttpResponse backup_short_form(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {});
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
