// SqlJobQueue::finish: how an attempt ends. A terminal outcome with the job's one audit record
// (and, for a verify job, its verdict on the snapshot; for a plan's succeeded backup, the prune
// job its retention asks for), or a failure sent back to the queue to be retried later. Each
// statement is whole, beside the function that runs it, rendered once per dialect.
#include <stdexcept>

#include "audit_writer.hpp"
#include "backupd/core/error.hpp"
#include "backupd/core/retention.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "connection_pool.hpp"
#include "job_counts.hpp"
#include "job_insert.hpp"
#include "job_values.hpp"
#include "path_codec.hpp"
#include "plan_row.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

using core::ErrorCode;

// The terminal outcome. lease_owner stays: it names the node of the last attempt. A restore or
// verify job keeps the snapshot path it was given at submission (its outcome names none).
constexpr char kFinish[] =
    "UPDATE jobs SET state = :state, finished_at = {now}, lease_expires_at = NULL, "
    "snapshot = COALESCE(:snapshot, snapshot), manifest_algorithm = :manifest_algorithm, "
    "manifest_digest = :manifest_digest, verify_report = :verify_report, "
    "prune_removed = :prune_removed, prune_kept = :prune_kept, error_code = :error_code, "
    "error_message = :error_message, "
    "files_copied = :files_copied, files_linked = :files_linked, bytes_copied = :bytes_copied, "
    "files_total = :files_total, bytes_total = :bytes_total "
    "WHERE id = :id AND state = 'running' AND lease_owner = :owner AND "
    "lease_incarnation = :incarnation AND attempt = :attempt";

// A failed attempt that will be retried: back to the queue, not before run_after, keeping its
// error. lease_owner stays, as after kFinish, so the worker can tell its own write from a
// release or a reaper's requeue (both clear it).
constexpr char kRetryLater[] =
    "UPDATE jobs SET state = 'queued', run_after = {retry_time}, lease_expires_at = NULL, "
    "error_code = :error_code, error_message = :error_message, "
    "files_copied = :files_copied, files_linked = :files_linked, bytes_copied = :bytes_copied, "
    "files_total = :files_total, bytes_total = :bytes_total "
    "WHERE id = :id AND state = 'running' AND lease_owner = :owner AND "
    "lease_incarnation = :incarnation AND attempt = :attempt";

bool is_retried(const core::Claim& claim, const core::JobOutcome& outcome) {
    return outcome.state == core::JobState::failed && outcome.error &&
           core::retries(outcome.error->code) && claim.job.attempt < claim.job.max_attempts;
}

bool retry_later(soci::session& sql, const Dialect& dialect, const core::Claim& claim,
                 const core::JobOutcome& outcome, JobCountChanges& counts) {
    const long long backoff_us = micros(core::retry_backoff(claim.job.attempt));
    const ErrorValues error(outcome.error);
    const ProgressValues progress(outcome.progress);
    const Fence fence(claim);
    Statement statement(sql, rendered<kRetryLater>(dialect));
    statement.use(backoff_us, "backoff_us");
    error.bind(statement);
    progress.bind(statement);
    fence.bind(statement);
    if (statement.run() != 1) return false;
    counts.moved(claim.job.kind, core::JobState::running, 0, core::JobState::queued,
                 outcome.progress.bytes_copied);
    return true;
}

// A verify job's finish records its verdict on the snapshot's own row, which the catalog reads.
constexpr char kSetVerifyState[] =
    "UPDATE jobs SET verify_state = :verify_state, verified_at = {now} "
    "WHERE id = :snapshot_id AND kind = 'backup'";

// The verdict a finished verify job leaves on its snapshot: `ok` when it succeeded, `failed` on
// a mismatch; nullopt (leave it as it was) when it failed for another reason, which says
// nothing about the snapshot's content.
std::optional<std::string> verify_verdict(const core::JobOutcome& outcome) {
    if (outcome.state == core::JobState::succeeded) return "ok";
    if (outcome.error && outcome.error->code == ErrorCode::verify_mismatch) return "failed";
    return std::nullopt;
}

void set_verify_state(soci::session& sql, const Dialect& dialect, const core::Claim& claim,
                      const core::JobOutcome& outcome) {
    const auto verdict = verify_verdict(outcome);
    if (!verdict || !claim.job.snapshot_id) return;
    const long long snapshot_id = *claim.job.snapshot_id;
    Statement statement(sql, rendered<kSetVerifyState>(dialect));
    statement.use(*verdict, "verify_state").use(snapshot_id, "snapshot_id");
    statement.run();
}

// --- a plan's prune after its backup ---------------------------------------------------------

// The plan's retention rules; no row when the plan was deleted meanwhile.
constexpr char kSelectPlanRetention[] =
    "SELECT " BACKUPD_RETENTION_COLUMNS(plans) " FROM plans WHERE name = :plan";

// A prune already waiting covers the new snapshot too: prunes never pile up behind a busy folder.
// Walks jobs_claim (state, id) over the queued jobs only; the + keeps SQLite off jobs_plan
// (every job the plan ever made: 86k a day for `@every 1s`) and jobs_kind.
constexpr char kCountQueuedPrunes[] =
    "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND +plan = :plan AND +kind = 'prune'";

bool plan_has_retention_rules(soci::session& sql, const std::string& plan) {
    RetentionColumns columns;
    Statement statement(sql, kSelectPlanRetention);
    columns.bind_into(statement);
    statement.use(plan, "plan");
    if (!statement.first()) return false;
    return !columns.to_retention().keeps_everything();
}

// Queues the prune a plan's succeeded backup asks for, in the transaction that records it.
void queue_plan_prune(soci::session& sql, const Dialect& dialect, const core::Job& backup,
                      JobCountChanges& counts) {
    const std::string& plan = *backup.plan;
    if (!plan_has_retention_rules(sql, plan)) return;
    long long queued = 0;
    Statement count(sql, kCountQueuedPrunes);
    count.into(queued).use(plan, "plan");
    count.first();
    if (queued > 0) return;
    insert_job(sql, dialect, {.folder = backup.folder, .kind = core::JobKind::prune, .plan = plan},
               counts);
}

// --- the outcome ------------------------------------------------------------------------------

std::string success_message(const core::Job& job, const core::JobOutcome& outcome) {
    switch (job.kind) {
        case core::JobKind::backup: return "snapshot " + outcome.snapshot.value_or("");
        case core::JobKind::restore:
            return "restored snapshot " + job.snapshot.value_or("") + " to " +
                   (job.restore ? job.restore->target : std::string());
        case core::JobKind::verify:
            return "snapshot " + job.snapshot.value_or("") + " matches its manifest";
        case core::JobKind::prune: {
            const auto report = outcome.prune.value_or(core::PruneReport{});
            return "removed " + std::to_string(report.removed) + ", kept " +
                   std::to_string(report.kept);
        }
    }
    return {};
}

// The job's one audit record, now that its outcome is known.
core::NewAuditRecord outcome_record(const core::Claim& claim, const core::JobOutcome& outcome,
                                    const ErrorValues& error) {
    const bool succeeded = outcome.state == core::JobState::succeeded;
    const std::string failed = std::string(core::to_string(claim.job.kind)) + " failed";
    return {
        .action = core::audit_action(claim.job.kind),
        .status = succeeded ? core::AuditStatus::success : core::AuditStatus::failed,
        .folder = claim.job.folder,
        .job_id = claim.job.id,
        .message = succeeded ? success_message(claim.job, outcome) : error.message.value_or(failed),
        .client_address = claim.job.client_address,
        .at = std::nullopt};
}

bool record_outcome(soci::session& sql, const Dialect& dialect, const core::Claim& claim,
                    const core::JobOutcome& outcome, JobCountChanges& counts) {
    const std::string state(core::to_string(outcome.state));
    const auto snapshot =
        to_boost<std::string>(optional_column_text(outcome.snapshot, kSnapshotChars));
    boost::optional<std::string> manifest_algorithm, manifest_digest, verify_report;
    if (outcome.manifest) {
        manifest_algorithm = outcome.manifest->algorithm;
        manifest_digest = outcome.manifest->digest;
    }
    if (outcome.verify) verify_report = encode_verify_report(*outcome.verify);
    boost::optional<long long> prune_removed, prune_kept;
    if (outcome.prune) {
        prune_removed = outcome.prune->removed;
        prune_kept = outcome.prune->kept;
    }
    const ErrorValues error(outcome.error);
    const ProgressValues progress(outcome.progress);
    const Fence fence(claim);
    Statement statement(sql, rendered<kFinish>(dialect));
    statement.use(state, "state").use(snapshot, "snapshot");
    statement.use(manifest_algorithm, "manifest_algorithm");
    statement.use(manifest_digest, "manifest_digest").use(verify_report, "verify_report");
    statement.use(prune_removed, "prune_removed").use(prune_kept, "prune_kept");
    error.bind(statement);
    progress.bind(statement);
    fence.bind(statement);
    if (statement.run() != 1) return false;
    counts.moved(claim.job.kind, core::JobState::running, 0, outcome.state,
                 outcome.progress.bytes_copied);
    if (claim.job.kind == core::JobKind::backup && outcome.state == core::JobState::succeeded &&
        outcome.snapshot) {
        counts.snapshots(claim.job.folder, 1);
    }
    if (claim.job.kind == core::JobKind::verify) set_verify_state(sql, dialect, claim, outcome);
    insert_audit_record(sql, dialect, outcome_record(claim, outcome, error));
    if (claim.job.kind == core::JobKind::backup && claim.job.plan &&
        outcome.state == core::JobState::succeeded) {
        queue_plan_prune(sql, dialect, claim.job, counts);
    }
    return true;
}

}  // namespace

bool SqlJobQueue::finish(const core::Claim& claim, const core::JobOutcome& outcome) {
    if (outcome.state != core::JobState::succeeded && outcome.state != core::JobState::failed) {
        throw std::invalid_argument("a job finishes as succeeded or failed");
    }
    const Dialect& dialect = dialect_for(database_.backend());
    const bool retried = is_retried(claim, outcome);
    return in_counted_transaction(
        database_.pool(), dialect, [&](soci::session& sql, JobCountChanges& counts) {
            return retried ? retry_later(sql, dialect, claim, outcome, counts)
                           : record_outcome(sql, dialect, claim, outcome, counts);
        });
}

}  // namespace backupd::store
