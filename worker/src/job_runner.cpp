#include "backupd/worker/job_runner.hpp"

#include <cerrno>
#include <optional>
#include <system_error>
#include <thread>

#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"
#include "backupd/worker/source_folders.hpp"
#include "heartbeat.hpp"

namespace backupd::worker {
namespace {

core::Progress to_job_progress(const copy::CopyProgress& copied) {
    core::Progress progress;
    progress.files_copied = copied.files_copied;
    progress.files_linked = copied.files_linked;
    progress.bytes_copied = copied.bytes_copied;
    progress.files_total = copied.files_total;
    progress.bytes_total = copied.bytes_total;
    return progress;
}

core::JobOutcome failure(const core::Progress& progress, core::ErrorCode code,
                         std::string message) {
    core::JobOutcome outcome;
    outcome.state = core::JobState::failed;
    outcome.progress = progress;
    outcome.error = core::JobError{code, std::move(message)};
    return outcome;
}

// The code of a failure to write the backup root.
core::ErrorCode write_failure_code(const std::error_code& error) {
    if (error == std::errc::no_space_on_device || error.value() == EDQUOT)
        return core::ErrorCode::backup_disk_full;
    if (error == std::errc::read_only_file_system || error == std::errc::permission_denied)
        return core::ErrorCode::backup_root_read_only;
    return core::ErrorCode::snapshot_write_failed;
}

core::JobOutcome success(const core::Progress& progress, std::string snapshot) {
    core::JobOutcome outcome;
    outcome.state = core::JobState::succeeded;
    outcome.progress = progress;
    outcome.snapshot = std::move(snapshot);
    return outcome;
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

// Did a finish whose reply was lost take effect? The row tells: it shows this attempt's
// outcome, or (a retried failure) this attempt back in the queue waiting for its retry time.
// A release or a reaper's requeue clears the owner, so neither passes for a retry.
bool already_recorded(const core::Job& current, const core::Claim& claim,
                      const core::JobOutcome& outcome) {
    if (current.attempt != claim.job.attempt || current.lease_owner != claim.owner.node) {
        return false;
    }
    if (current.state == core::JobState::queued) {
        return outcome.state == core::JobState::failed && current.retry_at.has_value();
    }
    return current.state == outcome.state && current.snapshot == outcome.snapshot;
}

}  // namespace

JobRunner::JobRunner(core::JobQueue& queue, const copy::BackupRoot& backup_root, int source_root,
                     RunnerOptions options)
    : queue_(queue), backup_root_(backup_root), source_root_(source_root), options_(options) {}

RunOutcome JobRunner::run(const core::Claim& claim, const std::stop_token& shutdown) {
    const core::Job& job = claim.job;
    spdlog::info("event=job_started job={} attempt={} folder=\"{}\"", job.id, job.attempt,
                 job.folder);
    // The copy stops when the lease is lost or the daemon shuts down.
    std::stop_source lost;
    std::stop_source stop_copy;
    std::stop_callback on_lost(lost.get_token(), [&] { stop_copy.request_stop(); });
    std::stop_callback on_shutdown(shutdown, [&] { stop_copy.request_stop(); });
    std::optional<detail::Heartbeat> heartbeat;
    heartbeat.emplace(queue_, claim, claim.lease / 3, lost);

    copy::CopyOptions copy_options;
    copy_options.threads = options_.copy_threads;
    copy_options.stop = stop_copy.get_token();
    copy_options.on_progress = [&](const copy::CopyProgress& p) {
        heartbeat->update(to_job_progress(p));
    };
    const copy::SnapshotRequest request{job.folder, job.id, job.attempt, snapshot_time(job)};

    try {
        auto staged = copy::stage_snapshot(backup_root_, source_root_, request, copy_options);
        if (const auto* error = std::get_if<copy::SourceFolderError>(&staged)) {
            heartbeat.reset();
            auto reason = folder_error(*error, job.folder);
            return record_failure(claim, failure({}, reason.code, std::move(reason.message)));
        }
        auto& snapshot = std::get<copy::StagedSnapshot>(staged);
        const auto& result = snapshot.result();
        const core::Progress progress = to_job_progress(result.progress);
        if (result.status == copy::CopyStatus::aborted) {
            discard_quietly(snapshot, job.id);
            heartbeat.reset();
            return record_failure(claim,
                                  failure(progress, core::ErrorCode::file_unreadable,
                                          core::message_for(core::ErrorCode::file_unreadable,
                                                            copy::describe(*result.problem))));
        }
        if (result.status == copy::CopyStatus::stopped || heartbeat->lease_lost()) {
            discard_quietly(snapshot, job.id);
            heartbeat.reset();
            if (lost.stop_requested()) return RunOutcome::abandoned;
            return give_back(claim);
        }
        // The lease must still be ours before the snapshot takes its final name; the heartbeat
        // thread keeps it through the flush and rename.
        heartbeat->update(progress);
        if (!heartbeat->beat_now()) return RunOutcome::abandoned;  // staging discarded
        const std::string path = snapshot.commit();
        heartbeat.reset();
        return record_success(claim, success(progress, path));
    } catch (const std::system_error& e) {
        // The backup root failed (no space, read-only): the attempt fails with the reason.
        spdlog::error("event=snapshot_write_failed job={} error=\"{}\"", job.id, e.what());
        const core::Progress progress = heartbeat ? heartbeat->progress() : core::Progress{};
        heartbeat.reset();
        return record_failure(
            claim, failure(progress, write_failure_code(e.code()),
                           core::message_for(write_failure_code(e.code()), e.code().message())));
    }
}

RunOutcome JobRunner::record_failure(const core::Claim& claim, const core::JobOutcome& outcome) {
    if (record(claim, outcome) != Recorded::yes) return RunOutcome::abandoned;
    spdlog::warn("event=job_failed job={} attempt={} folder=\"{}\" code={} error=\"{}\"",
                 claim.job.id, claim.job.attempt, claim.job.folder,
                 core::to_string(outcome.error->code), outcome.error->message);
    return RunOutcome::failed;
}

RunOutcome JobRunner::record_success(const core::Claim& claim, const core::JobOutcome& outcome) {
    const std::string& path = *outcome.snapshot;
    switch (record(claim, outcome)) {
        case Recorded::yes: break;
        case Recorded::lease_lost:
            backup_root_.remove(path);  // another worker owns the job: never finalize
            return RunOutcome::abandoned;
        case Recorded::unknown: return RunOutcome::abandoned;  // the orphan collector decides
    }
    try {
        backup_root_.publish_latest(claim.job.folder, path);
    } catch (const std::system_error& e) {
        // The snapshot is committed; only the next backup's links suffer.
        spdlog::error("event=latest_link_failed job={} error=\"{}\"", claim.job.id, e.what());
    }
    const auto& p = outcome.progress;
    spdlog::info(
        "event=job_succeeded job={} attempt={} folder=\"{}\" snapshot=\"{}\" files_copied={} "
        "files_linked={} bytes_copied={}",
        claim.job.id, claim.job.attempt, claim.job.folder, path, p.files_copied, p.files_linked,
        p.bytes_copied);
    return RunOutcome::succeeded;
}

JobRunner::Recorded JobRunner::record(const core::Claim& claim, const core::JobOutcome& outcome) {
    const auto deadline = std::chrono::steady_clock::now() + options_.finish_retry;
    for (;;) {
        try {
            if (queue_.finish(claim, outcome)) return Recorded::yes;
            // Not taken: the lease is gone, unless an earlier try committed before its reply
            // was lost.
            const auto current = queue_.find(claim.job.id);
            if (current && already_recorded(*current, claim, outcome)) return Recorded::yes;
            spdlog::warn("event=lease_lost job={} attempt={} folder=\"{}\"", claim.job.id,
                         claim.job.attempt, claim.job.folder);
            return Recorded::lease_lost;
        } catch (const core::Error& e) {
            if (e.code() != core::ErrorCode::database_unavailable ||
                std::chrono::steady_clock::now() > deadline) {
                spdlog::error("event=finish_failed job={} error=\"{}\"", claim.job.id, e.detail());
                return Recorded::unknown;
            }
            spdlog::warn("event=finish_retry job={} error=\"{}\"", claim.job.id, e.detail());
            std::this_thread::sleep_for(std::chrono::seconds{1});
        }
    }
}

RunOutcome JobRunner::give_back(const core::Claim& claim) {
    try {
        if (queue_.release(claim)) {
            spdlog::info("event=job_released job={} attempt={} folder=\"{}\"", claim.job.id,
                         claim.job.attempt, claim.job.folder);
            return RunOutcome::released;
        }
    } catch (const core::Error& e) {
        spdlog::warn("event=release_failed job={} error=\"{}\"", claim.job.id, e.detail());
    }
    return RunOutcome::abandoned;  // the reaper requeues it when the lease runs out
}

}  // namespace backupd::worker
