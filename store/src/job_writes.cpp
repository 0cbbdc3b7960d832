// SqlJobQueue's writes on the life of one attempt: enqueue, claim, and the fenced writes after
// a claim (heartbeat, finish, release). Each statement is whole, beside the function that runs
// it, rendered once per dialect.
#include <stdexcept>

#include "audit_writer.hpp"
#include "backupd/core/error.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "column_text.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "job_row.hpp"
#include "optional_values.hpp"
#include "path_codec.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

using core::ErrorCode;

// A claim that loses a race for a folder (another node started it first) tries again this often.
constexpr int kClaimConflictRetries = 3;

long long micros(std::chrono::microseconds duration) {
    return duration.count();
}

// The bound values of the condition every write after a claim carries: it takes effect only
// while the claim is still the job's current one.
struct Fence {
    long long id;
    std::string owner;
    std::string incarnation;
    int attempt;

    explicit Fence(const core::Claim& claim)
        : id(claim.job.id),
          owner(claim.owner.node),
          incarnation(claim.owner.incarnation),
          attempt(claim.job.attempt) {}

    void bind(Statement& statement) const {
        statement.use(id, "id").use(owner, "owner").use(incarnation, "incarnation");
        statement.use(attempt, "attempt");
    }
};

// Progress columns as bound values.
struct ProgressValues {
    long long files_copied;
    long long files_linked;
    long long bytes_copied;
    boost::optional<long long> files_total;
    boost::optional<long long> bytes_total;

    explicit ProgressValues(const core::Progress& p)
        : files_copied(p.files_copied),
          files_linked(p.files_linked),
          bytes_copied(p.bytes_copied),
          files_total(to_boost<long long>(p.files_total)),
          bytes_total(to_boost<long long>(p.bytes_total)) {}

    void bind(Statement& statement) const {
        statement.use(files_copied, "files_copied").use(files_linked, "files_linked");
        statement.use(bytes_copied, "bytes_copied").use(files_total, "files_total");
        statement.use(bytes_total, "bytes_total");
    }
};

// The error of a failed outcome as bound values (both NULL on success).
struct ErrorValues {
    boost::optional<std::string> code;
    boost::optional<std::string> message;

    explicit ErrorValues(const std::optional<core::JobError>& error) {
        if (!error) return;
        code = std::string(core::to_string(error->code));
        message = column_text(error->message, kMessageChars);
    }

    void bind(Statement& statement) const {
        statement.use(code, "error_code").use(message, "error_message");
    }
};

// --- enqueue ------------------------------------------------------------------------------

constexpr char kInsertQueuedJob[] =
    "INSERT INTO jobs (kind, folder, folder_key, state, max_attempts, submitted_at, snapshot, "
    "snapshot_id, restore_paths, restore_target, restore_overwrite, restore_in_place, batch_id, "
    "node, client_address) VALUES (:kind, :folder, :folder_key, 'queued', :max_attempts, {now}, "
    ":snapshot, :snapshot_id, :restore_paths, :restore_target, :restore_overwrite, "
    ":restore_in_place, :batch_id, :node, :client_address)";

// A job rejected at submission is created failed, so statistics count it.
constexpr char kInsertRejectedJob[] =
    "INSERT INTO jobs (kind, folder, folder_key, state, max_attempts, submitted_at, finished_at, "
    "snapshot, snapshot_id, restore_paths, restore_target, restore_overwrite, restore_in_place, "
    "error_code, error_message, batch_id, node, client_address) VALUES (:kind, :folder, "
    ":folder_key, 'failed', :max_attempts, {now}, {now}, :snapshot, :snapshot_id, "
    ":restore_paths, :restore_target, :restore_overwrite, :restore_in_place, :error_code, "
    ":error_message, :batch_id, :node, :client_address)";

// A restore's spec as bound values (all NULL without one). Paths and target go through the path
// codec, so any name reads back as it was.
struct RestoreValues {
    boost::optional<std::string> paths;
    boost::optional<std::string> target;
    boost::optional<std::string> overwrite;
    boost::optional<int> in_place;

    explicit RestoreValues(const std::optional<core::RestoreSpec>& spec) {
        if (!spec) return;
        paths = encode_path_list(spec->paths);
        target = escape_path(spec->target);
        overwrite = std::string(core::to_string(spec->overwrite));
        in_place = spec->in_place ? 1 : 0;
    }

    void bind(Statement& statement) const {
        statement.use(paths, "restore_paths").use(target, "restore_target");
        statement.use(overwrite, "restore_overwrite").use(in_place, "restore_in_place");
    }
};

core::Job insert_job(soci::session& sql, const Dialect& dialect, const core::NewJob& job) {
    if (job.max_attempts < 1) throw std::invalid_argument("max_attempts must be at least 1");
    const std::string kind(core::to_string(job.kind));
    const std::string key = folder_key(job.folder);
    // The key hashes the name as submitted; the stored name is fitted to its column.
    const std::string folder = column_text(job.folder, kFolderChars);
    const auto snapshot = to_boost<std::string>(optional_column_text(job.snapshot, kSnapshotChars));
    const auto snapshot_id = to_boost<long long>(job.snapshot_id);
    const RestoreValues restore(job.restore);
    const auto batch_id =
        to_boost<std::string>(optional_column_text(job.batch_id, kShortTextChars));
    const auto node = to_boost<std::string>(optional_column_text(job.node, kNodeChars));
    const auto client_address =
        to_boost<std::string>(optional_column_text(job.client_address, kShortTextChars));
    const ErrorValues error(job.rejection);

    Statement statement(sql, job.rejection ? rendered<kInsertRejectedJob>(dialect)
                                           : rendered<kInsertQueuedJob>(dialect));
    statement.use(kind, "kind").use(folder, "folder").use(key, "folder_key");
    statement.use(job.max_attempts, "max_attempts");
    statement.use(snapshot, "snapshot").use(snapshot_id, "snapshot_id");
    restore.bind(statement);
    if (job.rejection) error.bind(statement);
    statement.use(batch_id, "batch_id").use(node, "node").use(client_address, "client_address");
    statement.run();

    long long id = 0;
    if (!sql.get_last_insert_id("jobs", id)) {
        throw core::Error(ErrorCode::internal_error, "database error", "no id for the new job");
    }
    if (job.rejection) {
        insert_audit_record(sql, dialect,
                            {.action = core::audit_action(job.kind),
                             .status = core::AuditStatus::failed,
                             .folder = job.folder,
                             .job_id = id,
                             .message = job.rejection->message,
                             .client_address = job.client_address,
                             .at = std::nullopt});
    }
    return load_job(sql, id);
}

// --- claim ----------------------------------------------------------------------------------

// The claim scan: the oldest queued job this node may run whose retry time (if any) has come
// and whose folder has no running job. On MySQL the row is locked and rows other claimers hold
// are skipped; the unique key on running_folder_key settles the race when two nodes pick jobs
// of the same folder at once.
constexpr char kSelectClaimable[] =
    "SELECT j.id FROM jobs j WHERE j.state = 'queued' AND (j.node IS NULL OR j.node = :node) "
    "AND (j.run_after IS NULL OR j.run_after <= {now}) "
    "AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.folder_key = j.folder_key AND "
    "r.state = 'running') ORDER BY j.id LIMIT 1{skip_locked}";

constexpr char kClaimJob[] =
    "UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_owner = :owner, "
    "lease_incarnation = :incarnation, lease_expires_at = {lease_deadline}, "
    "heartbeat_at = {now}, started_at = {now}, run_after = NULL, files_copied = 0, "
    "files_linked = 0, bytes_copied = 0, files_total = NULL, bytes_total = NULL "
    "WHERE id = :id AND state = 'queued'";

std::optional<core::Claim> claim_one(soci::session& sql, const Dialect& dialect,
                                     const core::LeaseOwner& owner,
                                     std::chrono::milliseconds lease) {
    long long id = 0;
    Statement scan(sql, rendered<kSelectClaimable>(dialect));
    scan.into(id).use(owner.node, "node");
    if (!scan.first()) return std::nullopt;

    const long long lease_us = micros(lease);
    Statement update(sql, rendered<kClaimJob>(dialect));
    update.use(owner.node, "owner").use(owner.incarnation, "incarnation");
    update.use(lease_us, "lease_us").use(id, "id");
    if (update.run() != 1) return std::nullopt;
    return core::Claim{load_job(sql, id), owner, lease};
}

// --- the fenced writes after a claim ----------------------------------------------------------

constexpr char kHeartbeat[] =
    "UPDATE jobs SET lease_expires_at = {lease_deadline}, heartbeat_at = {now}, "
    "files_copied = :files_copied, files_linked = :files_linked, bytes_copied = :bytes_copied, "
    "files_total = :files_total, bytes_total = :bytes_total "
    "WHERE id = :id AND state = 'running' AND lease_owner = :owner AND "
    "lease_incarnation = :incarnation AND attempt = :attempt";

// The terminal outcome. lease_owner stays: it names the node of the last attempt. A restore or
// verify job keeps the snapshot path it was given at submission (its outcome names none).
constexpr char kFinish[] =
    "UPDATE jobs SET state = :state, finished_at = {now}, lease_expires_at = NULL, "
    "snapshot = COALESCE(:snapshot, snapshot), manifest_algorithm = :manifest_algorithm, "
    "manifest_digest = :manifest_digest, verify_report = :verify_report, "
    "error_code = :error_code, error_message = :error_message, "
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

// Gives the job back to the queue unfinished (graceful shutdown).
constexpr char kRelease[] =
    "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_incarnation = NULL, "
    "lease_expires_at = NULL, heartbeat_at = NULL "
    "WHERE id = :id AND state = 'running' AND lease_owner = :owner AND "
    "lease_incarnation = :incarnation AND attempt = :attempt";

bool is_retried(const core::Claim& claim, const core::JobOutcome& outcome) {
    return outcome.state == core::JobState::failed && outcome.error &&
           core::retries(outcome.error->code) && claim.job.attempt < claim.job.max_attempts;
}

bool retry_later(soci::session& sql, const Dialect& dialect, const core::Claim& claim,
                 const core::JobOutcome& outcome) {
    const long long backoff_us = micros(core::retry_backoff(claim.job.attempt));
    const ErrorValues error(outcome.error);
    const ProgressValues progress(outcome.progress);
    const Fence fence(claim);
    Statement statement(sql, rendered<kRetryLater>(dialect));
    statement.use(backoff_us, "backoff_us");
    error.bind(statement);
    progress.bind(statement);
    fence.bind(statement);
    return statement.run() == 1;
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

std::string success_message(const core::Job& job, const core::JobOutcome& outcome) {
    switch (job.kind) {
        case core::JobKind::backup: return "snapshot " + outcome.snapshot.value_or("");
        case core::JobKind::restore:
            return "restored snapshot " + job.snapshot.value_or("") + " to " +
                   (job.restore ? job.restore->target : std::string());
        case core::JobKind::verify:
            return "snapshot " + job.snapshot.value_or("") + " matches its manifest";
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
                    const core::JobOutcome& outcome) {
    const std::string state(core::to_string(outcome.state));
    const auto snapshot =
        to_boost<std::string>(optional_column_text(outcome.snapshot, kSnapshotChars));
    boost::optional<std::string> manifest_algorithm, manifest_digest, verify_report;
    if (outcome.manifest) {
        manifest_algorithm = outcome.manifest->algorithm;
        manifest_digest = outcome.manifest->digest;
    }
    if (outcome.verify) verify_report = encode_verify_report(*outcome.verify);
    const ErrorValues error(outcome.error);
    const ProgressValues progress(outcome.progress);
    const Fence fence(claim);
    Statement statement(sql, rendered<kFinish>(dialect));
    statement.use(state, "state").use(snapshot, "snapshot");
    statement.use(manifest_algorithm, "manifest_algorithm");
    statement.use(manifest_digest, "manifest_digest").use(verify_report, "verify_report");
    error.bind(statement);
    progress.bind(statement);
    fence.bind(statement);
    if (statement.run() != 1) return false;
    if (claim.job.kind == core::JobKind::verify) set_verify_state(sql, dialect, claim, outcome);
    insert_audit_record(sql, dialect, outcome_record(claim, outcome, error));
    return true;
}

}  // namespace

core::Job SqlJobQueue::enqueue(const core::NewJob& job) {
    const Dialect& dialect = dialect_for(database_.backend());
    return in_transaction(database_.pool(), dialect,
                          [&](soci::session& sql) { return insert_job(sql, dialect, job); });
}

std::vector<core::Job> SqlJobQueue::enqueue_batch(const std::vector<core::NewJob>& jobs) {
    const Dialect& dialect = dialect_for(database_.backend());
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        std::vector<core::Job> created;
        created.reserve(jobs.size());
        for (const auto& job : jobs) created.push_back(insert_job(sql, dialect, job));
        return created;
    });
}

std::optional<core::Claim> SqlJobQueue::claim(const core::LeaseOwner& owner) {
    const Dialect& dialect = dialect_for(database_.backend());
    for (int attempt = 1;; ++attempt) {
        try {
            return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
                return claim_one(sql, dialect, owner, options_.lease);
            });
        } catch (const core::Error& e) {
            // Another node started a job of the same folder first; look again, and after a few
            // lost races report nothing to claim (the caller polls again soon).
            if (e.code() != ErrorCode::conflict) throw;
            if (attempt == kClaimConflictRetries) return std::nullopt;
        }
    }
}

bool SqlJobQueue::heartbeat(const core::Claim& claim, const core::Progress& progress) {
    const Dialect& dialect = dialect_for(database_.backend());
    const long long lease_us = micros(claim.lease);
    const Fence fence(claim);
    const ProgressValues values(progress);
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(sql, rendered<kHeartbeat>(dialect));
        statement.use(lease_us, "lease_us");
        values.bind(statement);
        fence.bind(statement);
        return statement.run() == 1;
    });
}

bool SqlJobQueue::finish(const core::Claim& claim, const core::JobOutcome& outcome) {
    if (outcome.state != core::JobState::succeeded && outcome.state != core::JobState::failed) {
        throw std::invalid_argument("a job finishes as succeeded or failed");
    }
    const Dialect& dialect = dialect_for(database_.backend());
    const bool retried = is_retried(claim, outcome);
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        return retried ? retry_later(sql, dialect, claim, outcome)
                       : record_outcome(sql, dialect, claim, outcome);
    });
}

bool SqlJobQueue::release(const core::Claim& claim) {
    const Dialect& dialect = dialect_for(database_.backend());
    const Fence fence(claim);
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(sql, rendered<kRelease>(dialect));
        fence.bind(statement);
        return statement.run() == 1;
    });
}

}  // namespace backupd::store
