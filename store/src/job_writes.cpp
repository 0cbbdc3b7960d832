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
    "INSERT INTO jobs (folder, folder_key, state, max_attempts, submitted_at, batch_id, node, "
    "client_address) VALUES (:folder, :folder_key, 'queued', :max_attempts, {now}, :batch_id, "
    ":node, :client_address)";

// A job rejected at submission is created failed, so statistics count it.
constexpr char kInsertRejectedJob[] =
    "INSERT INTO jobs (folder, folder_key, state, max_attempts, submitted_at, finished_at, "
    "error_code, error_message, batch_id, node, client_address) VALUES (:folder, :folder_key, "
    "'failed', :max_attempts, {now}, {now}, :error_code, :error_message, :batch_id, :node, "
    ":client_address)";

core::Job insert_job(soci::session& sql, const Dialect& dialect, const core::NewJob& job) {
    if (job.max_attempts < 1) throw std::invalid_argument("max_attempts must be at least 1");
    const std::string key = folder_key(job.folder);
    // The key hashes the name as submitted; the stored name is fitted to its column.
    const std::string folder = column_text(job.folder, kFolderChars);
    const auto batch_id =
        to_boost<std::string>(optional_column_text(job.batch_id, kShortTextChars));
    const auto node = to_boost<std::string>(optional_column_text(job.node, kNodeChars));
    const auto client_address =
        to_boost<std::string>(optional_column_text(job.client_address, kShortTextChars));
    const ErrorValues error(job.rejection);

    Statement statement(sql, job.rejection ? rendered<kInsertRejectedJob>(dialect)
                                           : rendered<kInsertQueuedJob>(dialect));
    statement.use(folder, "folder").use(key, "folder_key");
    statement.use(job.max_attempts, "max_attempts");
    if (job.rejection) error.bind(statement);
    statement.use(batch_id, "batch_id").use(node, "node").use(client_address, "client_address");
    statement.run();

    long long id = 0;
    if (!sql.get_last_insert_id("jobs", id)) {
        throw core::Error(ErrorCode::internal_error, "database error", "no id for the new job");
    }
    if (job.rejection) {
        insert_audit_record(sql, dialect,
                            {.action = core::AuditAction::backup,
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

// The terminal outcome. lease_owner stays: it names the node of the last attempt.
constexpr char kFinish[] =
    "UPDATE jobs SET state = :state, finished_at = {now}, lease_expires_at = NULL, "
    "snapshot = :snapshot, error_code = :error_code, error_message = :error_message, "
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

core::NewAuditRecord backup_record(const core::Claim& claim, const core::JobOutcome& outcome,
                                   const ErrorValues& error) {
    const bool succeeded = outcome.state == core::JobState::succeeded;
    return {.action = core::AuditAction::backup,
            .status = succeeded ? core::AuditStatus::success : core::AuditStatus::failed,
            .folder = claim.job.folder,
            .job_id = claim.job.id,
            .message = succeeded ? "snapshot " + outcome.snapshot.value_or("")
                                 : error.message.value_or("backup failed"),
            .client_address = claim.job.client_address,
            .at = std::nullopt};
}

bool record_outcome(soci::session& sql, const Dialect& dialect, const core::Claim& claim,
                    const core::JobOutcome& outcome) {
    const std::string state(core::to_string(outcome.state));
    const auto snapshot =
        to_boost<std::string>(optional_column_text(outcome.snapshot, kSnapshotChars));
    const ErrorValues error(outcome.error);
    const ProgressValues progress(outcome.progress);
    const Fence fence(claim);
    Statement statement(sql, rendered<kFinish>(dialect));
    statement.use(state, "state").use(snapshot, "snapshot");
    error.bind(statement);
    progress.bind(statement);
    fence.bind(statement);
    if (statement.run() != 1) return false;
    insert_audit_record(sql, dialect, backup_record(claim, outcome, error));
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
