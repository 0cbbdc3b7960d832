// Backups: submit one folder or a batch, read, list, cancel, and the case study's
// POST /backup/{folder}, which waits for the outcome.
#include <random>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "request_checks.hpp"

namespace backupd::api {
namespace {

constexpr std::int64_t kMaxListLimit = 1000;

std::string new_batch_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 16; ++i) id += kHex[random() % 16];
    return id;
}

std::string location_of(core::JobId id) {
    return "/api/v1/backups/" + std::to_string(id);
}

HttpResponse job_answer(int status, const core::Job& job) {
    HttpResponse response;
    response.status = status;
    response.body = job_json(job);
    response.headers.emplace_back("Location", location_of(job.id));
    return response;
}

HttpResponse bad_request(std::string_view message) {
    return error_response(core::ErrorCode::invalid_request, message);
}

// A job refused at submission has an error and never ran.
bool rejected_at_submission(const core::Job& job) {
    return job.state == core::JobState::failed && job.attempt == 0 && job.error;
}

core::NewJob new_job(const ApiServices& services, std::string folder, const HttpRequest& request,
                     std::optional<std::string> batch_id) {
    core::NewJob job;
    job.rejection = services.folders.check(folder);
    job.folder = std::move(folder);
    job.client_address = request.client_address;
    job.batch_id = std::move(batch_id);
    return job;
}

// The answer once a job is known: 200 when it succeeded, the rejection's status when refused
// at once, 500 when the copy failed, 409 when cancelled, 202 while it is not done.
HttpResponse outcome_answer(const core::Job& job) {
    switch (job.state) {
        case core::JobState::succeeded: return job_answer(200, job);
        case core::JobState::failed:
            if (rejected_at_submission(job)) return error_response(*job.error, job);
            return error_response(
                core::JobError{core::ErrorCode::backup_failed, job.error->message}, job);
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

// Holds the answer until every job of `ids` has ended or `wait` passes (no thread is held
// while waiting), then answers with `answer`.
HttpResponse wait_for(const ApiServices& services, std::vector<core::JobId> ids,
                      std::chrono::seconds wait,
                      std::function<HttpResponse(const std::vector<core::Job>&)> answer) {
    HttpResponse deferred;
    deferred.poll_deadline = std::chrono::steady_clock::now() + wait;
    deferred.poll = [&jobs = services.jobs, ids = std::move(ids),
                     answer = std::move(answer)](bool last) -> std::optional<HttpResponse> {
        std::vector<core::Job> current;
        for (const auto id : ids) {
            auto job = jobs.find(id);
            if (!job) return error_response(core::ErrorCode::not_found, "No such backup job");
            if (!last && !core::is_terminal(job->state)) return std::nullopt;
            current.push_back(std::move(*job));
        }
        return answer(current);
    };
    return deferred;
}

HttpResponse submit(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {"wait"});
    if (!query.error.empty()) return bad_request(query.error);
    std::chrono::seconds wait{0};
    if (const auto text = query.get("wait")) {
        const auto seconds = detail::read_number(*text, 0, services.max_wait.count());
        if (!seconds) {
            return bad_request("wait must be a whole number of seconds from 0 to " +
                               std::to_string(services.max_wait.count()));
        }
        wait = std::chrono::seconds{*seconds};
    }
    if (!detail::is_json(request.content_type)) {
        return error_response(core::ErrorCode::unsupported_media_type);
    }
    const auto parsed = parse_backup_request(request.body);
    if (!parsed.ok()) return bad_request(parsed.error);

    if (!parsed.request.batch) {
        const core::Job job =
            services.jobs.enqueue(new_job(services, parsed.request.folders.front(), request, {}));
        if (rejected_at_submission(job)) return outcome_answer(job);
        services.job_queued();
        if (wait.count() == 0) return job_answer(202, job);
        return wait_for(services, {job.id}, wait,
                        [](const auto& jobs) { return outcome_answer(jobs.front()); });
    }
    const std::string batch_id = new_batch_id();
    std::vector<core::NewJob> batch;
    for (const auto& folder : parsed.request.folders)
        batch.push_back(new_job(services, folder, request, batch_id));
    const auto jobs = services.jobs.enqueue_batch(batch);
    services.job_queued();
    // 202 as DESIGN.md says; 200 only when the client waited and every job has ended.
    const auto batch_answer = [batch_id, wait](const std::vector<core::Job>& current) {
        HttpResponse response;
        const bool done = std::all_of(current.begin(), current.end(),
                                      [](const auto& job) { return core::is_terminal(job.state); });
        response.status = wait.count() > 0 && done ? 200 : 202;
        response.body = batch_json(batch_id, current);
        return response;
    };
    if (wait.count() == 0) return batch_answer(jobs);
    std::vector<core::JobId> ids;
    ids.reserve(jobs.size());
    for (const auto& job : jobs) ids.push_back(job.id);
    return wait_for(services, std::move(ids), wait, batch_answer);
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
    if (!job) return error_response(core::ErrorCode::not_found, "No such backup job");
    HttpResponse response;
    response.body = job_json(*job);
    return response;
}

HttpResponse list(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {"state", "folder", "limit", "cursor"});
    if (!query.error.empty()) return bad_request(query.error);
    core::JobFilter filter;
    if (const auto state = query.get("state")) {
        filter.state = core::parse_job_state(*state);
        if (!filter.state) {
            return bad_request("state must be queued, running, succeeded, failed or cancelled");
        }
    }
    if (const auto folder = query.get("folder")) filter.folder = std::string(*folder);
    if (const auto limit = query.get("limit")) {
        const auto value = detail::read_number(*limit, 1, kMaxListLimit);
        if (!value) return bad_request("limit must be a whole number from 1 to 1000");
        filter.limit = static_cast<std::size_t>(*value);
    }
    if (const auto cursor = query.get("cursor")) {
        filter.before = detail::read_number(*cursor, 1, INT64_MAX);
        if (!filter.before) return bad_request("cursor must be the 'next' value of a page");
    }
    HttpResponse response;
    response.body = job_page_json(services.jobs.list(filter));
    return response;
}

HttpResponse cancel(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto id = job_id_of(request);
    if (!id) return bad_request("a backup id is a positive whole number");
    switch (services.jobs.cancel(*id)) {
        case core::CancelResult::not_found:
            return error_response(core::ErrorCode::not_found, "No such backup job");
        case core::CancelResult::already_finished:
            if (const auto job = services.jobs.find(*id)) {
                return error_response(
                    core::JobError{core::ErrorCode::already_finished,
                                   core::message_for(core::ErrorCode::already_finished)},
                    *job);
            }
            return error_response(core::ErrorCode::not_found, "No such backup job");
        case core::CancelResult::cancelled: break;
    }
    HttpResponse response;
    response.body = job_json(services.jobs.find(*id).value());
    return response;
}

// POST /backup/{folder...}: the folder is the rest of the path, %-decoded.
HttpResponse backup_short_form(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const std::string_view raw = request.parameter("folder");
    const auto decoded = percent_decode(raw);
    core::NewJob job =
        new_job(services, decoded.ok() ? decoded.value : std::string(raw), request, {});
    if (!decoded.ok()) {
        job.rejection =
            core::JobError{core::ErrorCode::invalid_folder_name,
                           core::message_for(core::ErrorCode::invalid_folder_name, decoded.error)};
    }
    const core::Job created = services.jobs.enqueue(job);
    if (rejected_at_submission(created)) return outcome_answer(created);
    services.job_queued();
    return wait_for(services, {created.id}, services.short_form_wait,
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
