#include "backupd/worker/job_runner.hpp"

#include <thread>

#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"
#include "outcomes.hpp"

namespace backupd::worker {
namespace {

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
    return current.state == outcome.state &&
           (!outcome.snapshot || current.snapshot == outcome.snapshot);
}

}  // namespace

JobRunner::JobRunner(core::JobQueue& queue, RunnerRoots roots, RunnerOptions options)
    : queue_(queue), roots_(roots), options_(options) {}

RunOutcome JobRunner::run(const core::Claim& claim, const std::stop_token& shutdown) {
    const core::Job& job = claim.job;
    spdlog::info("event=job_started job={} kind={} attempt={} folder=\"{}\"", job.id,
                 core::to_string(job.kind), job.attempt, job.folder);
    switch (job.kind) {
        case core::JobKind::backup: return run_backup(claim, shutdown);
        case core::JobKind::restore: return run_restore(claim, shutdown);
        case core::JobKind::verify: return run_verify(claim, shutdown);
        case core::JobKind::prune: return run_prune(claim, shutdown);
    }
    // A kind this binary does not know (the store refuses them): never guess what to run.
    return record_failure(claim, detail::failure_for({}, core::ErrorCode::internal_error, {}));
}

RunOutcome JobRunner::record_failure(const core::Claim& claim, const core::JobOutcome& outcome) {
    if (record(claim, outcome) != Recorded::yes) return RunOutcome::abandoned;
    spdlog::warn("event=job_failed job={} attempt={} folder=\"{}\" code={} error=\"{}\"",
                 claim.job.id, claim.job.attempt, claim.job.folder,
                 core::to_string(outcome.error->code), outcome.error->message);
    return RunOutcome::failed;
}

RunOutcome JobRunner::record_snapshot(const core::Claim& claim, const core::JobOutcome& outcome) {
    const std::string& path = *outcome.snapshot;
    switch (record(claim, outcome)) {
        case Recorded::yes: break;
        case Recorded::lease_lost:
            roots_.backups.remove(path);  // another worker owns the job: never finalize
            return RunOutcome::abandoned;
        case Recorded::unknown: return RunOutcome::abandoned;  // the orphan collector decides
    }
    try {
        roots_.backups.publish_latest(claim.job.folder, path);
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

RunOutcome JobRunner::record_success(const core::Claim& claim, const core::JobOutcome& outcome) {
    if (record(claim, outcome) != Recorded::yes) return RunOutcome::abandoned;
    const auto& p = outcome.progress;
    spdlog::info("event=job_succeeded job={} kind={} attempt={} folder=\"{}\" files={} bytes={}",
                 claim.job.id, core::to_string(claim.job.kind), claim.job.attempt, claim.job.folder,
                 p.files_copied, p.bytes_copied);
    return RunOutcome::succeeded;
}

RunOutcome JobRunner::give_back(const core::Claim& claim, bool lease_lost) {
    if (lease_lost) return RunOutcome::abandoned;
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
