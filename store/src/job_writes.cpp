// SqlJobQueue's writes on the life of one attempt: enqueue, claim, and the fenced writes after
// a claim (heartbeat, release; finish is in job_finish.cpp). Each statement is whole, beside the
// function that runs it, rendered once per dialect.
#include <stdexcept>

#include "audit_writer.hpp"
#include "backupd/core/error.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "column_text.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "job_counts.hpp"
#include "job_insert.hpp"
#include "job_row.hpp"
#include "job_values.hpp"
#include "optional_values.hpp"
#include "path_codec.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

using core::ErrorCode;

// A claim that loses a race for a folder (another node started it first) tries again this often.
constexpr int kClaimConflictRetries = 3;

// --- enqueue ------------------------------------------------------------------------------

constexpr char kInsertQueuedJob[] =
    "INSERT INTO jobs (kind, folder, folder_key, state, max_attempts, submitted_at, snapshot, "
    "snapshot_id, restore_paths, restore_target, restore_overwrite, restore_in_place, batch_id, "
    "node, client_address, plan, scheduled_for) VALUES (:kind, :folder, :folder_key, 'queued', "
    ":max_attempts, {now}, :snapshot, :snapshot_id, :restore_paths, :restore_target, "
    ":restore_overwrite, :restore_in_place, :batch_id, :node, :client_address, :plan, "
    ":scheduled_for)";

// A job rejected at submission is created failed, so statistics count it.
constexpr char kInsertRejectedJob[] =
    "INSERT INTO jobs (kind, folder, folder_key, state, max_attempts, submitted_at, finished_at, "
    "snapshot, snapshot_id, restore_paths, restore_target, restore_overwrite, restore_in_place, "
    "error_code, error_message, batch_id, node, client_address, plan, scheduled_for) VALUES "
    "(:kind, :folder, :folder_key, 'failed', :max_attempts, {now}, {now}, :snapshot, "
    ":snapshot_id, :restore_paths, :restore_target, :restore_overwrite, :restore_in_place, "
    ":error_code, :error_message, :batch_id, :node, :client_address, :plan, :scheduled_for)";

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

}  // namespace

core::Job insert_job(soci::session& sql, const Dialect& dialect, const core::NewJob& job,
                     JobCountChanges& counts) {
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
    // Plan names are checked ([a-z0-9-], at most 64) before a plan exists; fitted all the same.
    const auto plan = to_boost<std::string>(optional_column_text(job.plan, kShortTextChars));
    boost::optional<std::string> scheduled_for;
    if (job.scheduled_for) scheduled_for = core::format_db_time(*job.scheduled_for);

    Statement statement(sql, job.rejection ? rendered<kInsertRejectedJob>(dialect)
                                           : rendered<kInsertQueuedJob>(dialect));
    statement.use(kind, "kind").use(folder, "folder").use(key, "folder_key");
    statement.use(job.max_attempts, "max_attempts");
    statement.use(snapshot, "snapshot").use(snapshot_id, "snapshot_id");
    restore.bind(statement);
    if (job.rejection) error.bind(statement);
    statement.use(batch_id, "batch_id").use(node, "node").use(client_address, "client_address");
    statement.use(plan, "plan").use(scheduled_for, "scheduled_for");
    statement.run();

    long long id = 0;
    if (!sql.get_last_insert_id("jobs", id)) {
        throw core::Error(ErrorCode::internal_error, "database error", "no id for the new job");
    }
    counts.created(job.kind, job.rejection ? core::JobState::failed : core::JobState::queued);
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

namespace {

// --- claim ----------------------------------------------------------------------------------

// The claim scan: the oldest queued job this node may run whose retry time (if any) has come
// and whose folder has no running job. On MySQL the row is locked and rows other claimers hold
// are skipped; the unique key on running_folder_key settles the race when two nodes pick jobs
// of the same folder at once.
constexpr char kSelectClaimable[] =
    "SELECT j.id, j.kind, j.bytes_copied FROM jobs j WHERE j.state = 'queued' AND (j.node IS NULL "
    "OR j.node = :node) "
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
                                     const core::LeaseOwner& owner, std::chrono::milliseconds lease,
                                     JobCountChanges& counts) {
    long long id = 0;
    std::string kind;
    long long bytes = 0;  // a retried job keeps its last attempt's
    Statement scan(sql, rendered<kSelectClaimable>(dialect));
    scan.into(id).into(kind).into(bytes).use(owner.node, "node");
    if (!scan.first()) return std::nullopt;

    const long long lease_us = micros(lease);
    Statement update(sql, rendered<kClaimJob>(dialect));
    update.use(owner.node, "owner").use(owner.incarnation, "incarnation");
    update.use(lease_us, "lease_us").use(id, "id");
    if (update.run() != 1) return std::nullopt;
    counts.moved(stored_kind(id, kind), core::JobState::queued, bytes, core::JobState::running, 0);
    return core::Claim{load_job(sql, id), owner, lease};
}

// --- the fenced writes after a claim ----------------------------------------------------------

constexpr char kHeartbeat[] =
    "UPDATE jobs SET lease_expires_at = {lease_deadline}, heartbeat_at = {now}, "
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

// The released job's bytes, as its last heartbeat left them (for the counts).
constexpr char kSelectBytes[] = "SELECT bytes_copied FROM jobs WHERE id = :id";

}  // namespace

core::Job SqlJobQueue::enqueue(const core::NewJob& job) {
    const Dialect& dialect = dialect_for(database_.backend());
    return in_counted_transaction(database_.pool(), dialect,
                                  [&](soci::session& sql, JobCountChanges& counts) {
                                      return insert_job(sql, dialect, job, counts);
                                  });
}

std::vector<core::Job> SqlJobQueue::enqueue_batch(const std::vector<core::NewJob>& jobs) {
    const Dialect& dialect = dialect_for(database_.backend());
    return in_counted_transaction(database_.pool(), dialect,
                                  [&](soci::session& sql, JobCountChanges& counts) {
                                      std::vector<core::Job> created;
                                      created.reserve(jobs.size());
                                      for (const auto& job : jobs)
                                          created.push_back(insert_job(sql, dialect, job, counts));
                                      return created;
                                  });
}

std::optional<core::Claim> SqlJobQueue::claim(const core::LeaseOwner& owner) {
    const Dialect& dialect = dialect_for(database_.backend());
    for (int attempt = 1;; ++attempt) {
        try {
            return in_counted_transaction(
                database_.pool(), dialect, [&](soci::session& sql, JobCountChanges& counts) {
                    return claim_one(sql, dialect, owner, options_.lease, counts);
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

bool SqlJobQueue::release(const core::Claim& claim) {
    const Dialect& dialect = dialect_for(database_.backend());
    const Fence fence(claim);
    return in_counted_transaction(
        database_.pool(), dialect, [&](soci::session& sql, JobCountChanges& counts) {
            Statement statement(sql, rendered<kRelease>(dialect));
            fence.bind(statement);
            if (statement.run() != 1) return false;
            const long long id = claim.job.id;
            long long bytes = 0;
            Statement read(sql, kSelectBytes);
            read.into(bytes).use(id, "id");
            read.first();
            counts.moved(claim.job.kind, core::JobState::running, 0, core::JobState::queued, bytes);
            return true;
        });
}

}  // namespace backupd::store
