#include "job_answers.hpp"

#include "backupd/api/json.hpp"

namespace backupd::api::detail {
HttpResponse bad_request(std::string_view message) {
    return error_response(core::ErrorCode::invalid_request, message);
}

HttpResponse no_such_job(std::string_view what) {
    return error_response(core::ErrorCode::not_found, "No such " + std::string(what));
}

std::string job_location(const core::Job& job) {
    const char* base = job.kind == core::JobKind::backup ? "/api/v1/backups/" : "/api/v1/jobs/";
    return base + std::to_string(job.id);
}

HttpResponse job_answer(int status, const core::Job& job) {
    HttpResponse response;
    response.status = status;
    response.body = job_json(job);
    response.headers.emplace_back("Location", job_location(job));
    return response;
}

HttpResponse outcome_answer(const core::Job& job) {
    switch (job.state) {
        case core::JobState::succeeded: return job_answer(200, job);
        case core::JobState::failed:
            if (job.kind != core::JobKind::backup) return rejection_answer(job);
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

HttpResponse rejection_answer(const core::Job& job) {
    return error_response(job.error.value_or(core::JobError{}), job);
}

std::optional<core::JobId> id_parameter(const HttpRequest& request) {
    return read_number(request.parameter("id"), 1, INT64_MAX);
}

std::variant<std::chrono::seconds, HttpResponse> submission_wait(const ApiServices& services,
                                                                 const HttpRequest& request) {
    const auto query = read_query(request, {"wait"});
    if (!query.error.empty()) return bad_request(query.error);
    const auto text = query.get("wait");
    if (!text) return std::chrono::seconds{0};
    const auto seconds = read_number(*text, 0, services.max_wait.count());
    if (!seconds) {
        return bad_request("wait must be a whole number of seconds from 0 to " +
                           std::to_string(services.max_wait.count()));
    }
    return std::chrono::seconds{*seconds};
}

std::variant<core::JobFilter, std::string> read_job_filter(const Query& query) {
    core::JobFilter filter;
    if (const auto kind = query.get("kind")) {
        filter.kind = core::parse_job_kind(*kind);
        if (!filter.kind) return "kind must be backup, restore, verify or prune";
    }
    if (const auto state = query.get("state")) {
        filter.state = core::parse_job_state(*state);
        if (!filter.state) return "state must be queued, running, succeeded, failed or cancelled";
    }
    if (const auto folder = query.get("folder")) filter.folder = std::string(*folder);
    if (const auto plan = query.get("plan")) filter.plan = std::string(*plan);
    const auto limit = read_limit(query);
    if (!limit) return std::string(kBadLimit);
    filter.limit = *limit;
    if (const auto cursor = query.get("cursor")) {
        filter.before = read_number(*cursor, 1, INT64_MAX);
        if (!filter.before) return std::string(kBadCursor);
    }
    return filter;
}

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
        if (!current) return no_such_job("job");
        if (!last && !core::all_ended(*current)) return std::nullopt;
        return answer(*current);
    };
    HttpResponse response;
    response.deferred = std::move(deferred);
    return response;
}

HttpResponse submitted_answer(const ApiServices& services, const core::Job& job, bool rejected,
                              std::chrono::seconds wait) {
    if (rejected) return rejection_answer(job);
    if (wait.count() == 0) return job_answer(202, job);
    return wait_for(services, {job.id}, wait,
                    [](const auto& jobs) { return outcome_answer(jobs.front()); });
}

HttpResponse cancel_answer(const core::CancelledBackup& cancelled, std::string_view what) {
    switch (cancelled.result) {
        case core::CancelResult::not_found: return no_such_job(what);
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

}  // namespace backupd::api::detail
