#include <cerrno>
#include <system_error>

#include <spdlog/spdlog.h>

#include "attempt.hpp"
#include "backupd/core/error.hpp"
#include "backupd/worker/backup_root_watch.hpp"
#include "backupd/worker/job_runner.hpp"
#include "backupd/worker/source_folders.hpp"
#include "outcomes.hpp"

// A backup attempt: copy the folder into staging, commit the snapshot with its manifest, record.
namespace backupd::worker {
namespace {

using detail::failure;
using detail::to_job_progress;

// The code of a failure to write the backup root.
core::ErrorCode write_failure_code(const std::error_code& error) {
    if (error == std::errc::no_space_on_device || error.value() == EDQUOT)
        return core::ErrorCode::backup_disk_full;
    if (error == std::errc::read_only_file_system || error == std::errc::permission_denied)
        return core::ErrorCode::backup_root_read_only;
    return core::ErrorCode::snapshot_write_failed;
}

// The code of a copy the error policy aborted. A source directory that disappeared between the
// walk and its copy is `source_vanished` (retried: the next attempt sees the folder as it is then);
// anything else that kept a source entry from being read is `file_unreadable`. Only source-side
// errors reach here: the backup root's ENOENT throws and stays snapshot_write_failed.
core::ErrorCode problem_code(const copy::FileProblem& problem) {
    return problem.kind == copy::FileProblem::Kind::vanished ? core::ErrorCode::source_vanished
                                                             : core::ErrorCode::file_unreadable;
}

// Snapshots are named after the start of the attempt, in database time.
std::chrono::sys_seconds snapshot_time(const core::Job& job) {
    if (job.started_at) return std::chrono::floor<std::chrono::seconds>(*job.started_at);
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A staging copy that cannot be deleted now is left to the orphan collector: the job's own
// outcome (a release at shutdown, a failure) must not change because of it.
void discard_quietly(copy::StagedSnapshot& snapshot, core::JobId id) {
    try {
        snapshot.discard();
    } catch (const std::system_error& e) {
        spdlog::warn("event=staging_not_removed job={} error=\"{}\"", id, e.what());
    }
}

}  // namespace

RunOutcome JobRunner::run_backup(const core::Claim& claim, const std::stop_token& shutdown) {
    const core::Job& job = claim.job;
    detail::Attempt attempt(queue_, claim, shutdown);
    copy::CopyOptions copy_options;
    copy_options.threads = options_.copy_threads;
    copy_options.stop = attempt.work_stop();
    // The engine's policy (docs/design.md section 6): a vanished file is skipped and counted, a
    // vanished directory or an unreadable entry ends the attempt (problem_code below).
    copy_options.on_progress = [&](const copy::CopyProgress& p) {
        attempt.heartbeat().update(to_job_progress(p));
    };
    const copy::SnapshotRequest request{job.folder, job.id, job.attempt, snapshot_time(job)};

    try {
        auto staged = copy::stage_snapshot(roots_.backups, roots_.sources, request, copy_options);
        if (const auto* error = std::get_if<copy::SourceFolderError>(&staged)) {
            attempt.end_heartbeat();
            auto reason = folder_error(*error, job.folder);
            return record_failure(claim, failure({}, reason.code, std::move(reason.message)));
        }
        auto& snapshot = std::get<copy::StagedSnapshot>(staged);
        const auto& result = snapshot.result();
        const core::Progress progress = to_job_progress(result.progress);
        if (result.status == copy::CopyStatus::aborted) {
            discard_quietly(snapshot, job.id);
            attempt.end_heartbeat();
            return record_failure(claim,
                                  detail::failure_for(progress, problem_code(*result.problem),
                                                      copy::describe(*result.problem)));
        }
        if (result.status == copy::CopyStatus::stopped || attempt.lease_lost()) {
            discard_quietly(snapshot, job.id);
            attempt.end_heartbeat();
            return give_back(claim, attempt.lease_lost());
        }
        // The lease must still be ours before the snapshot takes its final name; the heartbeat
        // thread keeps it through the flush and rename.
        attempt.heartbeat().update(progress);
        if (!attempt.heartbeat().beat_now()) return RunOutcome::abandoned;  // staging discarded
        core::JobOutcome outcome = detail::success(progress);
        outcome.snapshot = snapshot.commit();
        outcome.manifest = result.manifest;
        if (options_.root_watch) options_.root_watch->snapshot_committed();
        attempt.end_heartbeat();
        return record_snapshot(claim, outcome);
    } catch (const std::system_error& e) {
        // The backup root failed (no space, read-only): the attempt fails with the reason.
        spdlog::error("event=snapshot_write_failed job={} error=\"{}\"", job.id, e.what());
        const core::Progress progress = attempt.progress();
        attempt.end_heartbeat();
        const core::ErrorCode code = write_failure_code(e.code());
        if (options_.root_watch) options_.root_watch->backup_failed(code);
        return record_failure(claim, detail::failure_for(progress, code, e.code().message()));
    }
}

}  // namespace backupd::worker
