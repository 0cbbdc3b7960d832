#pragma once
// What the job routes share (internal): reading a job id, a list filter and ?wait=N, the
// answers for a job (its Location, its outcome, its refusal), and the deferred wait for jobs to
// end. Used by backup_routes.cpp, job_routes.cpp and restore_routes.cpp.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "backupd/api/api_routes.hpp"
#include "backupd/core/backups.hpp"
#include "request_checks.hpp"

namespace backupd::api::detail {

HttpResponse bad_request(std::string_view message);

// 404 "No such <what>" (what: "backup job", "job").
HttpResponse no_such_job(std::string_view what);

// A job's own URL: /api/v1/backups/{id} for a backup, /api/v1/jobs/{id} for the other kinds.
std::string job_location(const core::Job& job);

// `status` with the job and its Location.
HttpResponse job_answer(int status, const core::Job& job);

// The answer for a job after its submission was accepted: 200 when it succeeded, its error when
// it failed (a backup's as backup_failed 500, as the case study says), 409 when cancelled, 202
// while it is not done.
HttpResponse outcome_answer(const core::Job& job);

// A refused submission answers with its error's status and the failed job.
HttpResponse rejection_answer(const core::Job& job);

// The {id} of the route: a positive whole number, or nullopt.
std::optional<core::JobId> id_parameter(const HttpRequest& request);

// The ?wait=N of a POST that submits jobs, its only query parameter (bounded by
// services.max_wait; 0 when absent), or the 400 answer to a bad query.
std::variant<std::chrono::seconds, HttpResponse> submission_wait(const ApiServices& services,
                                                                 const HttpRequest& request);

// The filter of a job list (state, folder, limit, cursor, and kind and plan when the query has
// them), or
// why the query is unacceptable.
std::variant<core::JobFilter, std::string> read_job_filter(const Query& query);

// Holds the answer until every job of `ids` has ended or `wait` passes (no thread is held
// while waiting; a job's change on this node wakes it), then answers with `answer`.
HttpResponse wait_for(const ApiServices& services, std::vector<core::JobId> ids,
                      std::chrono::seconds wait,
                      std::function<HttpResponse(const std::vector<core::Job>&)> answer);

// One submitted job: its refusal, 202 at once, or its outcome after up to `wait`.
HttpResponse submitted_answer(const ApiServices& services, const core::Job& job, bool rejected,
                              std::chrono::seconds wait);

// The answer to DELETE of a job already read back by core::cancel_backup.
HttpResponse cancel_answer(const core::CancelledBackup& cancelled, std::string_view what);

}  // namespace backupd::api::detail
