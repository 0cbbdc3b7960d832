// SqlJobQueue's writes that end or recover other workers' attempts: cancel, the reaper of
// expired leases, and a restarted node's expiry of its previous incarnations' leases. Each
// statement is whole, beside the function that runs it, rendered once per dialect.
#include "audit_writer.hpp"
#include "backupd/core/error.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "connection_pool.hpp"
#include "job_counts.hpp"
#include "job_row.hpp"
#include "optional_values.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

// Reaping takes expired jobs in batches of this size, each batch one transaction.
constexpr std::size_t kReapBatch = 100;

// --- cancel ---------------------------------------------------------------------------------

constexpr char kCancel[] =
    "UPDATE jobs SET state = 'cancelled', finished_at = {now}, lease_expires_at = NULL, "
    "run_after = NULL, error_code = 'cancelled', error_message = 'Cancelled by request' "
    "WHERE id = :id AND state IN ('queued', 'running')";

// The job to cancel, locked: its state and bytes as the cancel finds them (for the counts).
constexpr char kSelectToCancel[] =
    "SELECT kind, state, bytes_copied, folder, client_address FROM jobs WHERE id = :id"
    "{for_update}";

struct ToCancel {
    std::string kind;
    std::string state;
    long long bytes = 0;
    std::string folder;
    boost::optional<std::string> client_address;
};

std::optional<ToCancel> select_to_cancel(soci::session& sql, const Dialect& dialect, long long id) {
    ToCancel job;
    Statement select(sql, rendered<kSelectToCancel>(dialect));
    select.into(job.kind).into(job.state).into(job.bytes).into(job.folder);
    select.into(job.client_address).use(id, "id");
    if (!select.first()) return std::nullopt;
    return job;
}

// The request's one audit record (`Backup`, `Restore`, `Verify` or `Prune`), now that its
// outcome is known.
void audit_cancelled(soci::session& sql, const Dialect& dialect, core::JobId id,
                     const ToCancel& job) {
    insert_audit_record(sql, dialect,
                        {.action = core::audit_action(stored_kind(id, job.kind)),
                         .status = core::AuditStatus::failed,
                         .folder = job.folder,
                         .job_id = id,
                         .message = "Cancelled by request",
                         .client_address = to_std(job.client_address),
                         .at = std::nullopt});
}

// --- reaper ---------------------------------------------------------------------------------

constexpr char kSelectExpired[] =
    "SELECT id, kind, attempt, max_attempts, bytes_copied, folder, client_address FROM jobs "
    "WHERE state = 'running' AND lease_expires_at <= {now} ORDER BY id LIMIT :limit{skip_locked}";

// Both reaper writes are fenced on the attempt they saw, so a job that was finished or
// re-claimed in between is left alone.
constexpr char kRequeueExpired[] =
    "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_incarnation = NULL, "
    "lease_expires_at = NULL, heartbeat_at = NULL "
    "WHERE id = :id AND state = 'running' AND attempt = :attempt";

constexpr char kFailExpired[] =
    "UPDATE jobs SET state = 'failed', finished_at = {now}, lease_expires_at = NULL, "
    "error_code = :error_code, error_message = :error_message "
    "WHERE id = :id AND state = 'running' AND attempt = :attempt";

struct Expired {
    long long id = 0;
    std::string kind;
    int attempt = 0;
    int max_attempts = 0;
    long long bytes = 0;
    std::string folder;
    boost::optional<std::string> client_address;
};

std::vector<Expired> select_expired(soci::session& sql, const Dialect& dialect, std::size_t limit) {
    const long long batch = static_cast<long long>(limit);
    std::vector<Expired> expired;
    Expired row;
    Statement scan(sql, rendered<kSelectExpired>(dialect));
    scan.into(row.id).into(row.kind).into(row.attempt).into(row.max_attempts).into(row.bytes);
    scan.into(row.folder);
    scan.into(row.client_address).use(batch, "limit");
    for (bool more = scan.first(); more; more = scan.next()) expired.push_back(row);
    return expired;
}

bool requeue_expired(soci::session& sql, const Expired& job, JobCountChanges& counts) {
    Statement requeue(sql, kRequeueExpired);
    requeue.use(job.id, "id").use(job.attempt, "attempt");
    if (requeue.run() != 1) return false;
    counts.moved(stored_kind(job.id, job.kind), core::JobState::running, 0, core::JobState::queued,
                 job.bytes);
    return true;
}

// Fails a job whose last attempt's lease expired, with its one audit record.
bool fail_expired(soci::session& sql, const Dialect& dialect, const Expired& job,
                  JobCountChanges& counts) {
    const std::string code(core::to_string(core::ErrorCode::lease_expired));
    const std::string message = core::message_for(
        core::ErrorCode::lease_expired,
        "on attempt " + std::to_string(job.attempt) + " of " + std::to_string(job.max_attempts));
    Statement fail(sql, rendered<kFailExpired>(dialect));
    fail.use(code, "error_code").use(message, "error_message");
    fail.use(job.id, "id").use(job.attempt, "attempt");
    if (fail.run() != 1) return false;
    counts.moved(stored_kind(job.id, job.kind), core::JobState::running, 0, core::JobState::failed,
                 job.bytes);
    insert_audit_record(sql, dialect,
                        {.action = core::audit_action(stored_kind(job.id, job.kind)),
                         .status = core::AuditStatus::failed,
                         .folder = job.folder,
                         .job_id = job.id,
                         .message = message,
                         .client_address = to_std(job.client_address),
                         .at = std::nullopt});
    return true;
}

// --- restart --------------------------------------------------------------------------------

constexpr char kExpireIncarnations[] =
    "UPDATE jobs SET lease_expires_at = {now} WHERE state = 'running' AND lease_owner = :node "
    "AND lease_incarnation <> :incarnation";

}  // namespace

core::CancelResult SqlJobQueue::cancel(core::JobId id) {
    const Dialect& dialect = dialect_for(database_.backend());
    const long long key = id;
    return in_counted_transaction(
        database_.pool(), dialect, [&](soci::session& sql, JobCountChanges& counts) {
            const auto job = select_to_cancel(sql, dialect, key);
            if (!job) return core::CancelResult::not_found;
            Statement update(sql, rendered<kCancel>(dialect));
            update.use(key, "id");
            if (update.run() != 1) return core::CancelResult::already_finished;
            counts.moved(stored_kind(id, job->kind), stored_state(id, job->state), job->bytes,
                         core::JobState::cancelled, job->bytes);
            audit_cancelled(sql, dialect, id, *job);
            return core::CancelResult::cancelled;
        });
}

core::ReapResult SqlJobQueue::reap_expired(std::size_t limit) {
    const Dialect& dialect = dialect_for(database_.backend());
    return in_counted_transaction(
        database_.pool(), dialect, [&](soci::session& sql, JobCountChanges& counts) {
            core::ReapResult result;
            for (const Expired& job : select_expired(sql, dialect, limit)) {
                if (job.attempt < job.max_attempts) {
                    if (requeue_expired(sql, job, counts)) ++result.requeued;
                } else if (fail_expired(sql, dialect, job, counts)) {
                    ++result.failed;
                }
            }
            return result;
        });
}

core::ReapResult SqlJobQueue::expire_previous_incarnations(const core::LeaseOwner& current) {
    const Dialect& dialect = dialect_for(database_.backend());
    in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(sql, rendered<kExpireIncarnations>(dialect));
        statement.use(current.node, "node").use(current.incarnation, "incarnation");
        statement.run();
    });
    core::ReapResult total;
    for (;;) {
        const core::ReapResult step = reap_expired(kReapBatch);
        total.requeued += step.requeued;
        total.failed += step.failed;
        if (step.requeued + step.failed < kReapBatch) return total;
    }
}

}  // namespace backupd::store
