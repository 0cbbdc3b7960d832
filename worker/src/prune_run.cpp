// A prune attempt: remove the snapshots of a folder that a plan's retention lets go, or one
// snapshot, in the catalog's two steps (start_pruning marks them, their files go, then
// finish_pruning), so a crash anywhere leaves no half-removed snapshot listed as whole. Each
// prune first finishes what an earlier one of its folder left marked.
#include <algorithm>
#include <set>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include <spdlog/spdlog.h>

#include "attempt.hpp"
#include "backupd/copy/snapshot_layout.hpp"
#include "backupd/core/error.hpp"
#include "backupd/core/restores.hpp"
#include "backupd/core/retention.hpp"
#include "backupd/worker/job_runner.hpp"
#include "outcomes.hpp"

namespace backupd::worker {
namespace {

using detail::failure;
using detail::failure_for;

std::string subject_of(core::JobId id) {
    return "snapshot " + std::to_string(id);
}

// The snapshots to remove, or why the prune cannot go on.
using Selection = std::variant<std::vector<core::JobId>, core::JobOutcome>;

// One snapshot: it must be whole and not pinned.
Selection select_one(core::JobId id, const std::vector<core::RetentionCandidate>& candidates) {
    const auto found = std::find_if(candidates.begin(), candidates.end(),
                                    [id](const auto& c) { return c.id == id; });
    if (found == candidates.end()) {
        const core::JobError error = core::no_such_snapshot(id);
        return failure({}, error.code, error.message);
    }
    if (found->pinned) return failure_for({}, core::ErrorCode::snapshot_pinned, subject_of(id));
    return std::vector<core::JobId>{id};
}

// A plan's retention, which never lets go of the snapshot `latest` names (normally the newest
// anyway): the next backup links against it.
Selection select_by_plan(core::PlanStore& plans, const copy::BackupRoot& backups,
                         const core::Job& job,
                         const std::vector<core::RetentionCandidate>& candidates) {
    const auto plan = plans.find(*job.plan);
    if (!plan) return failure({}, core::ErrorCode::not_found, "No such plan: " + *job.plan);
    const auto zone = core::TimeZone::find(plan->spec.time_zone);
    if (!zone) {
        return failure({}, core::ErrorCode::invalid_request,
                       "plan " + *job.plan + ": unknown time zone " + plan->spec.time_zone);
    }
    auto decisions = core::apply_retention(candidates, plan->spec.retention, *zone);
    const auto latest = backups.latest_name(job.folder);
    std::vector<core::JobId> remove;
    for (auto& decision : decisions) {
        if (latest && decision.name == *latest && !decision.keep) {
            decision.keep = true;
            decision.reasons.emplace_back("newest");
        }
        if (!decision.keep) remove.push_back(decision.id);
    }
    spdlog::info("event=prune_selected job={} plan=\"{}\" folder=\"{}\" snapshots={} remove={}",
                 job.id, *job.plan, job.folder, decisions.size(), remove.size());
    return remove;
}

// What removing files did so far.
struct Removal {
    std::vector<core::JobId> removed;
    std::set<std::string> removed_names;
    std::optional<core::JobOutcome> failure;  // a snapshot that could not be removed
    bool stopped = false;                     // shutdown or lease lost before the rest
};

// Removes each snapshot's tree, then its manifest, checking `stop` between snapshots, then
// records those removed. A failure stops there: the rest stay marked for the next prune.
void remove_snapshots(const copy::BackupRoot& backups, core::SnapshotCatalog& catalog,
                      const std::vector<core::Snapshot>& snapshots, const std::stop_token& stop,
                      core::JobId job, Removal& removal) {
    std::vector<core::JobId> done;
    for (const auto& snapshot : snapshots) {
        if (stop.stop_requested()) {
            removal.stopped = true;
            break;
        }
        try {
            backups.remove(snapshot.path);
        } catch (const std::system_error& e) {
            spdlog::error("event=prune_remove_failed job={} snapshot={} error=\"{}\"", job,
                          snapshot.id, e.what());
            removal.failure =
                failure_for({}, core::ErrorCode::prune_failed,
                            subject_of(snapshot.id) + " (" + e.code().message() + ")");
            break;
        }
        spdlog::info("event=snapshot_pruned job={} snapshot={} folder=\"{}\"", job, snapshot.id,
                     snapshot.folder);
        done.push_back(snapshot.id);
        removal.removed_names.insert(snapshot.name);
    }
    if (!done.empty()) catalog.finish_pruning(done);
    removal.removed.insert(removal.removed.end(), done.begin(), done.end());
}

// The newest of `candidates` by name, as the backup engine names them (time, then job id).
std::optional<std::string> newest_by_name(const std::vector<core::RetentionCandidate>& candidates) {
    std::optional<std::string> newest;
    std::optional<copy::SnapshotName> newest_parsed;
    for (const auto& c : candidates) {
        const auto parsed = copy::parse_snapshot_name(c.name);
        if (!parsed) continue;
        if (!newest_parsed || std::pair(parsed->taken_at, parsed->job_id) >
                                  std::pair(newest_parsed->taken_at, newest_parsed->job_id)) {
            newest_parsed = parsed;
            newest = c.name;
        }
    }
    return newest;
}

// When `latest` named a snapshot that is gone now, points it at the newest whole snapshot of
// the folder, or removes it when none is left. The snapshots are gone whatever happens here, so
// a failure is only logged (the next backup then copies in full rather than linking).
void settle_latest(const copy::BackupRoot& backups, core::SnapshotCatalog& catalog,
                   const core::Job& job, const Removal& removal) {
    if (removal.removed_names.empty()) return;
    try {
        const auto latest = backups.latest_name(job.folder);
        if (!latest || !removal.removed_names.contains(*latest)) return;
        const auto next = newest_by_name(catalog.retention_candidates(job.folder));
        if (next) {
            backups.repoint_latest(job.folder, job.folder + "/" + *next);
        } else {
            backups.repoint_latest(job.folder, std::nullopt);
        }
        spdlog::info("event=latest_repointed job={} folder=\"{}\" snapshot=\"{}\"", job.id,
                     job.folder, next.value_or(""));
    } catch (const std::system_error& e) {
        spdlog::error("event=latest_link_failed job={} error=\"{}\"", job.id, e.what());
    }
}

}  // namespace

RunOutcome JobRunner::run_prune(const core::Claim& claim, const std::stop_token& shutdown) {
    const core::Job& job = claim.job;
    detail::Attempt attempt(queue_, claim, shutdown);
    core::SnapshotCatalog* catalog = options_.catalogs.snapshots;
    core::PlanStore* plans = options_.catalogs.plans;
    if (catalog == nullptr || (!job.snapshot_id && (!job.plan || plans == nullptr))) {
        attempt.end_heartbeat();
        return record_failure(claim, failure_for({}, core::ErrorCode::internal_error, {}));
    }
    const std::stop_token stop = attempt.work_stop();
    Removal removal;
    // Ends the attempt once files may have gone: `latest` settled, then the outcome.
    const auto end = [&](const std::optional<core::JobOutcome>& outcome) {
        settle_latest(roots_.backups, *catalog, job, removal);
        attempt.end_heartbeat();
        if (!outcome) return give_back(claim, attempt.lease_lost());
        return outcome->state == core::JobState::succeeded ? record_success(claim, *outcome)
                                                           : record_failure(claim, *outcome);
    };

    // What an earlier prune of this folder marked but did not finish.
    remove_snapshots(roots_.backups, *catalog, catalog->pruning(job.folder), stop, job.id, removal);
    if (removal.failure) return end(removal.failure);
    if (removal.stopped) return end(std::nullopt);

    const auto candidates = catalog->retention_candidates(job.folder);
    Selection selection = job.snapshot_id ? select_one(*job.snapshot_id, candidates)
                                          : select_by_plan(*plans, roots_.backups, job, candidates);
    if (auto* refused = std::get_if<core::JobOutcome>(&selection)) return end(*refused);
    const auto& remove = std::get<std::vector<core::JobId>>(selection);
    if (stop.stop_requested()) return end(std::nullopt);

    const auto marked = remove.empty() ? std::optional(std::vector<core::Snapshot>{})
                                       : catalog->start_pruning(claim, remove);
    if (!marked) {
        spdlog::warn("event=lease_lost job={} attempt={} folder=\"{}\"", job.id, job.attempt,
                     job.folder);
        settle_latest(roots_.backups, *catalog, job, removal);
        attempt.end_heartbeat();
        return RunOutcome::abandoned;
    }
    if (job.snapshot_id && marked->empty()) {
        // Pinned (or pruned by another) since it was selected.
        const auto now = catalog->find(*job.snapshot_id);
        const core::JobError error =
            now && now->pinned ? core::JobError{core::ErrorCode::snapshot_pinned,
                                                core::message_for(core::ErrorCode::snapshot_pinned,
                                                                  subject_of(*job.snapshot_id))}
                               : core::no_such_snapshot(*job.snapshot_id);
        return end(failure({}, error.code, error.message));
    }
    remove_snapshots(roots_.backups, *catalog, *marked, stop, job.id, removal);
    if (removal.failure) return end(removal.failure);
    if (removal.stopped) return end(std::nullopt);

    std::int64_t kept = 0;
    for (const auto& c : candidates) {
        if (std::find(removal.removed.begin(), removal.removed.end(), c.id) ==
            removal.removed.end()) {
            ++kept;
        }
    }
    core::JobOutcome outcome = detail::success({});
    outcome.prune = core::PruneReport{static_cast<std::int64_t>(removal.removed.size()), kept};
    spdlog::info("event=prune_done job={} folder=\"{}\" removed={} kept={}", job.id, job.folder,
                 outcome.prune->removed, outcome.prune->kept);
    return end(outcome);
}

}  // namespace backupd::worker
