// A prune attempt: remove the snapshots of a folder that a plan's retention lets go, or one
// snapshot, in the catalog's two steps (start_pruning marks them, their files go, then
// finish_pruning), so a crash anywhere leaves no half-removed snapshot listed as whole. Each
// prune first finishes what an earlier one of its folder left marked.
//
// `latest` is never left naming a removed snapshot, whatever the crash point: it is moved off
// the marked snapshots before any of their files go, and every prune first repairs a link an
// earlier one (or an older version of this code) left naming a snapshot that is gone.
#include <algorithm>
#include <set>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include <spdlog/spdlog.h>

#include "attempt.hpp"
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

core::JobOutcome refused(const core::JobError& error) {
    return failure({}, error.code, error.message);
}

// The snapshots to remove, or why the prune cannot go on.
using Selection = std::variant<std::vector<core::JobId>, core::JobOutcome>;

// Why snapshot `id` cannot be deleted now: unknown or gone, pinned, or in use (a restore or
// verify of it is queued or running); nullopt when it can.
std::optional<core::JobError> refusal_of(core::JobId id,
                                         const std::vector<core::RetentionCandidate>& candidates) {
    const auto found = std::find_if(candidates.begin(), candidates.end(),
                                    [id](const auto& c) { return c.id == id; });
    if (found == candidates.end()) return core::no_such_snapshot(id);
    if (found->pinned) return core::snapshot_is_pinned(id);
    if (found->in_use) return core::snapshot_in_use(id);
    return std::nullopt;
}

// One snapshot: it must be whole, not pinned and not in use.
Selection select_one(core::JobId id, const std::vector<core::RetentionCandidate>& candidates) {
    if (const auto refusal = refusal_of(id, candidates)) return refused(*refusal);
    return std::vector<core::JobId>{id};
}

// A plan's retention, and nothing else (as core::preview_prune shows it): `latest` follows
// what is kept, it does not decide it.
Selection select_by_plan(core::PlanStore& plans, const core::Job& job,
                         const std::vector<core::RetentionCandidate>& candidates) {
    const auto plan = plans.find(*job.plan);
    if (!plan) return failure({}, core::ErrorCode::not_found, "No such plan: " + *job.plan);
    const auto zone = core::TimeZone::find(plan->spec.time_zone);
    if (!zone) {
        return failure({}, core::ErrorCode::invalid_request,
                       "plan " + *job.plan + ": unknown time zone " + plan->spec.time_zone);
    }
    const auto decisions = core::apply_retention(candidates, plan->spec.retention, *zone);
    std::vector<core::JobId> remove;
    for (const auto& decision : decisions) {
        if (!decision.keep) remove.push_back(decision.id);
    }
    spdlog::info("event=prune_selected job={} plan=\"{}\" folder=\"{}\" snapshots={} remove={}",
                 job.id, *job.plan, job.folder, decisions.size(), remove.size());
    return remove;
}

// The newest of `candidates` that is not `going`, in retention's order (created_at, then id).
std::optional<std::string> newest_staying(const std::vector<core::RetentionCandidate>& candidates,
                                          const std::set<std::string>& going) {
    const core::RetentionCandidate* newest = nullptr;
    for (const auto& c : candidates) {
        if (going.contains(c.name)) continue;
        if (!newest || std::pair(c.created_at, c.id) > std::pair(newest->created_at, newest->id))
            newest = &c;
    }
    if (!newest) return std::nullopt;
    return newest->name;
}

// Makes `<folder>/latest` name a snapshot that stays: when it names one of `going` (marked for
// removal), or one that is neither among `candidates` (the folder's whole snapshots) nor on
// disk, it is pointed at the newest candidate not going, or removed when none is left. A link
// naming a snapshot outside the catalog that is on disk is left alone. Throws std::system_error
// when the link cannot be changed: the caller then removes nothing it names.
void settle_latest(const copy::BackupRoot& backups, const core::Job& job,
                   const std::vector<core::RetentionCandidate>& candidates,
                   const std::set<std::string>& going) {
    const auto latest = backups.latest_name(job.folder);
    if (!latest) return;
    if (!going.contains(*latest)) {
        const bool whole = std::any_of(candidates.begin(), candidates.end(),
                                       [&](const auto& c) { return c.name == *latest; });
        if (whole || backups.open_latest(job.folder)) return;
    }
    const auto next = newest_staying(candidates, going);
    if (next) {
        backups.repoint_latest(job.folder, job.folder + "/" + *next);
    } else {
        backups.repoint_latest(job.folder, std::nullopt);
    }
    spdlog::info("event=latest_repointed job={} folder=\"{}\" from=\"{}\" snapshot=\"{}\"", job.id,
                 job.folder, *latest, next.value_or(""));
}

std::set<std::string> names_of(const std::vector<core::Snapshot>& snapshots) {
    std::set<std::string> names;
    for (const auto& s : snapshots) names.insert(s.name);
    return names;
}

// settle_latest before removing `going`; the refusal to remove them when the link cannot move.
std::optional<core::JobOutcome> move_latest_off(
    const copy::BackupRoot& backups, const core::Job& job,
    const std::vector<core::RetentionCandidate>& candidates,
    const std::vector<core::Snapshot>& going) {
    try {
        settle_latest(backups, job, candidates, names_of(going));
        return std::nullopt;
    } catch (const std::system_error& e) {
        spdlog::error("event=latest_link_failed job={} folder=\"{}\" error=\"{}\"", job.id,
                      job.folder, e.what());
        return failure_for(
            {}, core::ErrorCode::prune_failed,
            "the latest link of " + job.folder + " cannot be moved (" + e.code().message() + ")");
    }
}

// What removing files did so far.
struct Removal {
    std::vector<core::JobId> removed;
    std::optional<core::JobOutcome> failure;  // the first snapshot that could not be removed
    bool stopped = false;                     // shutdown or lease lost before the rest
};

// Removes each snapshot's tree, then its manifest, checking `stop` between snapshots, then
// records those removed. A failure stops there (the rest stay marked for the next prune)
// unless `carry_on`, which goes on with the next snapshot.
void remove_snapshots(const copy::BackupRoot& backups, core::SnapshotCatalog& catalog,
                      const std::vector<core::Snapshot>& snapshots, const std::stop_token& stop,
                      core::JobId job, bool carry_on, Removal& removal) {
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
            if (!removal.failure) {
                removal.failure =
                    failure_for({}, core::ErrorCode::prune_failed,
                                subject_of(snapshot.id) + " (" + e.code().message() + ")");
            }
            if (carry_on) continue;
            break;
        }
        spdlog::info("event=snapshot_pruned job={} snapshot={} folder=\"{}\"", job, snapshot.id,
                     snapshot.folder);
        done.push_back(snapshot.id);
    }
    if (!done.empty()) catalog.finish_pruning(done);
    removal.removed.insert(removal.removed.end(), done.begin(), done.end());
}

// Why the one snapshot `id` start_pruning did not mark was refused, read again.
core::JobOutcome refusal_after_marking(core::SnapshotCatalog& catalog, const core::Job& job) {
    const core::JobId id = *job.snapshot_id;
    const auto refusal = refusal_of(id, catalog.retention_candidates(job.folder));
    // Whole, unpinned and unused again by now: it was refused for one of these meanwhile.
    return refused(refusal.value_or(core::snapshot_in_use(id)));
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
    const copy::BackupRoot& backups = roots_.backups;
    Removal removal;
    const auto end = [&](const std::optional<core::JobOutcome>& outcome) {
        attempt.end_heartbeat();
        if (!outcome) return give_back(claim, attempt.lease_lost());
        return outcome->state == core::JobState::succeeded ? record_success(claim, *outcome)
                                                           : record_failure(claim, *outcome);
    };

    // What an earlier prune of this folder marked but did not finish, after moving `latest` off
    // them and off a snapshot already gone (a crash after finish_pruning, before the link
    // moved). One that cannot be removed fails the job, but only once the rest is done.
    const auto candidates = catalog->retention_candidates(job.folder);
    const auto leftovers = catalog->pruning(job.folder);
    if (auto refusal = move_latest_off(backups, job, candidates, leftovers)) return end(refusal);
    remove_snapshots(backups, *catalog, leftovers, stop, job.id, /*carry_on=*/true, removal);
    if (removal.stopped) return end(std::nullopt);
    const std::optional<core::JobOutcome> leftover_failure = std::move(removal.failure);
    removal.failure.reset();

    Selection selection = job.snapshot_id ? select_one(*job.snapshot_id, candidates)
                                          : select_by_plan(*plans, job, candidates);
    if (auto* refusal = std::get_if<core::JobOutcome>(&selection)) return end(*refusal);
    const auto& remove = std::get<std::vector<core::JobId>>(selection);
    if (stop.stop_requested()) return end(std::nullopt);

    const auto marked = remove.empty() ? std::optional(std::vector<core::Snapshot>{})
                                       : catalog->start_pruning(claim, remove);
    if (!marked) {
        spdlog::warn("event=lease_lost job={} attempt={} folder=\"{}\"", job.id, job.attempt,
                     job.folder);
        attempt.end_heartbeat();
        return RunOutcome::abandoned;
    }
    // Pinned, put in use or removed by another since it was selected.
    if (job.snapshot_id && marked->empty()) return end(refusal_after_marking(*catalog, job));
    // Marked now, so a crash from here on leaves them for the next prune, which moves `latest`
    // again before removing them.
    if (auto refusal = move_latest_off(backups, job, candidates, *marked)) return end(refusal);
    remove_snapshots(backups, *catalog, *marked, stop, job.id, /*carry_on=*/false, removal);
    if (removal.stopped) return end(std::nullopt);

    std::int64_t kept = 0;
    for (const auto& c : candidates) {
        if (std::find(removal.removed.begin(), removal.removed.end(), c.id) ==
            removal.removed.end()) {
            ++kept;
        }
    }
    const core::PruneReport report{static_cast<std::int64_t>(removal.removed.size()), kept};
    spdlog::info("event=prune_done job={} folder=\"{}\" removed={} kept={}", job.id, job.folder,
                 report.removed, report.kept);
    // A leftover that could not be removed is named first: it is the older failure.
    core::JobOutcome outcome = leftover_failure  ? *leftover_failure
                               : removal.failure ? *removal.failure
                                                 : detail::success({});
    outcome.prune = report;
    return end(outcome);
}

}  // namespace backupd::worker
