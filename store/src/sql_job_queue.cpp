#include "backupd/store/sql_job_queue.hpp"

#include <array>
#include <stdexcept>

#include <boost/optional.hpp>
#include <openssl/evp.h>

#include "audit_writer.hpp"
#include "backupd/core/error.hpp"
#include "column_text.hpp"
#include "connection_pool.hpp"
#include "job_row.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

using core::ErrorCode;

// Reaping takes expired jobs in batches of this size, each batch one transaction.
constexpr std::size_t kReapBatch = 100;
// A claim that loses a race for a folder (another node started it first) tries again this often.
constexpr int kClaimConflictRetries = 3;

template <typename T, typename U = T>
boost::optional<T> to_boost(const std::optional<U>& value) {
    return value ? boost::optional<T>(static_cast<T>(*value)) : boost::none;
}

// Hex SHA-256 of the folder: the indexable stand-in for a name up to 1024 bytes long.
std::string folder_key(const std::string& folder) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(folder.data(), folder.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
        1) {
        throw core::Error(ErrorCode::internal_error, "internal error", "SHA-256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

std::string select_jobs(const char* rest) {
    return std::string("SELECT ") + kJobColumns + " FROM jobs " + rest;
}

core::Job load_job(soci::session& sql, core::JobId id) {
    const long long key = id;
    Statement statement(sql, select_jobs("WHERE id = :id"));
    JobRow row;
    row.bind_into(statement);
    statement.use(key, "id");
    if (!statement.first()) {
        throw core::Error(ErrorCode::internal_error, "database error",
                          "job " + std::to_string(id) + " vanished inside its transaction");
    }
    return row.to_job();
}

// --- enqueue ------------------------------------------------------------------------------

constexpr const char* kInsertQueuedJob =
    "INSERT INTO jobs (folder, folder_key, state, max_attempts, submitted_at, batch_id, node, "
    "client_address) VALUES (:folder, :folder_key, 'queued', :max_attempts, {now}, :batch_id, "
    ":node, :client_address)";

// A job rejected at submission is created failed, so statistics count it.
constexpr const char* kInsertRejectedJob =
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
    const std::string error_code =
        job.rejection ? std::string(core::to_string(job.rejection->code)) : std::string();
    const std::string error_message =
        job.rejection ? column_text(job.rejection->message, kMessageChars) : std::string();

    Statement statement(sql,
                        render(job.rejection ? kInsertRejectedJob : kInsertQueuedJob, dialect));
    statement.use(folder, "folder").use(key, "folder_key");
    statement.use(job.max_attempts, "max_attempts");
    if (job.rejection) {
        statement.use(error_code, "error_code").use(error_message, "error_message");
    }
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

// --- claim and the fenced writes after it -----------------------------------------------

// The claim scan: the oldest queued job this node may run whose folder has no running job.
// On MySQL the row is locked and rows other claimers hold are skipped; the unique key on
// running_folder_key settles the race when two nodes pick jobs of the same folder at once.
constexpr const char* kSelectClaimable =
    "SELECT j.id FROM jobs j WHERE j.state = 'queued' AND (j.node IS NULL OR j.node = :node) "
    "AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.folder_key = j.folder_key AND "
    "r.state = 'running') ORDER BY j.id LIMIT 1{skip_locked}";

constexpr const char* kClaimJob =
    "UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_owner = :owner, "
    "lease_incarnation = :incarnation, lease_expires_at = {lease_deadline}, "
    "heartbeat_at = {now}, started_at = {now}, files_copied = 0, files_linked = 0, "
    "bytes_copied = 0, files_total = NULL, bytes_total = NULL "
    "WHERE id = :id AND state = 'queued'";

// Every write after a claim carries this condition: it takes effect only while the claim is
// still the job's current one.
constexpr const char* kFence =
    " WHERE id = :id AND state = 'running' AND lease_owner = :owner AND "
    "lease_incarnation = :incarnation AND attempt = :attempt";

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

constexpr const char* kProgressAssignments =
    "files_copied = :files_copied, files_linked = :files_linked, bytes_copied = :bytes_copied, "
    "files_total = :files_total, bytes_total = :bytes_total";

constexpr const char* kHeartbeat =
    "UPDATE jobs SET lease_expires_at = {lease_deadline}, heartbeat_at = {now}, ";

constexpr const char* kFinish =
    "UPDATE jobs SET state = :state, finished_at = {now}, lease_expires_at = NULL, "
    "snapshot = :snapshot, error_code = :error_code, error_message = :error_message, ";

// Returns a job to the queue: by its worker (release) or by the reaper.
constexpr const char* kBackToQueue =
    "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_incarnation = NULL, "
    "lease_expires_at = NULL, heartbeat_at = NULL";

// --- cancel, reap ---------------------------------------------------------------------------

constexpr const char* kCancel =
    "UPDATE jobs SET state = 'cancelled', finished_at = {now}, lease_expires_at = NULL, "
    "error_code = 'cancelled', error_message = 'Cancelled by request' "
    "WHERE id = :id AND state IN ('queued', 'running')";

constexpr const char* kSelectCancelled = "SELECT folder, client_address FROM jobs WHERE id = :id";

constexpr const char* kCountJob = "SELECT COUNT(*) FROM jobs WHERE id = :id";

constexpr const char* kSelectExpired =
    "SELECT id, attempt, max_attempts, folder, client_address FROM jobs "
    "WHERE state = 'running' AND lease_expires_at <= {now} ORDER BY id LIMIT :limit{skip_locked}";

// Both reaper writes are fenced on the attempt they saw, so a job that was finished or
// re-claimed in between is left alone.
constexpr const char* kReaperFence = " WHERE id = :id AND state = 'running' AND attempt = :attempt";

constexpr const char* kFailExpired =
    "UPDATE jobs SET state = 'failed', finished_at = {now}, lease_expires_at = NULL, "
    "error_code = :error_code, error_message = :error_message";

constexpr const char* kExpireIncarnations =
    "UPDATE jobs SET lease_expires_at = {now} WHERE state = 'running' AND lease_owner = :node "
    "AND lease_incarnation <> :incarnation";

// --- reads ----------------------------------------------------------------------------------

constexpr const char* kStats =
    "SELECT COUNT(*), "
    "COALESCE(SUM(CASE WHEN state = 'succeeded' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'cancelled' THEN 1 ELSE 0 END), 0), "
    "MIN(CASE WHEN state = 'queued' THEN submitted_at END), "
    "COALESCE(SUM(bytes_copied), 0) FROM jobs";

}  // namespace

long long SqlJobQueue::lease_micros() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(options_.lease).count();
}

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
    const long long lease_us = lease_micros();
    const auto attempt_claim = [&](soci::session& sql) -> std::optional<core::Claim> {
        long long id = 0;
        Statement scan(sql, render(kSelectClaimable, dialect));
        scan.into(id).use(owner.node, "node");
        if (!scan.first()) return std::nullopt;

        Statement update(sql, render(kClaimJob, dialect));
        update.use(owner.node, "owner").use(owner.incarnation, "incarnation");
        update.use(lease_us, "lease_us").use(id, "id");
        if (update.run() != 1) return std::nullopt;
        return core::Claim{load_job(sql, id), owner};
    };
    for (int attempt = 1;; ++attempt) {
        try {
            return in_transaction(database_.pool(), dialect, attempt_claim);
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
    const long long lease_us = lease_micros();
    const Fence fence(claim);
    const ProgressValues values(progress);
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(
            sql, render(std::string(kHeartbeat) + kProgressAssignments + kFence, dialect));
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
    const Fence fence(claim);
    const ProgressValues values(outcome.progress);
    const std::string state(core::to_string(outcome.state));
    const auto snapshot =
        to_boost<std::string>(optional_column_text(outcome.snapshot, kSnapshotChars));
    boost::optional<std::string> error_code;
    boost::optional<std::string> error_message;
    if (outcome.error) {
        error_code = std::string(core::to_string(outcome.error->code));
        error_message = column_text(outcome.error->message, kMessageChars);
    }
    const bool succeeded = outcome.state == core::JobState::succeeded;
    const core::NewAuditRecord audit{
        .action = core::AuditAction::backup,
        .status = succeeded ? core::AuditStatus::success : core::AuditStatus::failed,
        .folder = claim.job.folder,
        .job_id = claim.job.id,
        .message = succeeded ? "snapshot " + outcome.snapshot.value_or("")
                             : error_message.value_or("backup failed"),
        .client_address = claim.job.client_address,
        .at = std::nullopt};

    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(sql,
                            render(std::string(kFinish) + kProgressAssignments + kFence, dialect));
        statement.use(state, "state").use(snapshot, "snapshot");
        statement.use(error_code, "error_code").use(error_message, "error_message");
        values.bind(statement);
        fence.bind(statement);
        if (statement.run() != 1) return false;
        insert_audit_record(sql, dialect, audit);
        return true;
    });
}

bool SqlJobQueue::release(const core::Claim& claim) {
    const Dialect& dialect = dialect_for(database_.backend());
    const Fence fence(claim);
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(sql, std::string(kBackToQueue) + kFence);
        fence.bind(statement);
        return statement.run() == 1;
    });
}

core::CancelResult SqlJobQueue::cancel(core::JobId id) {
    const Dialect& dialect = dialect_for(database_.backend());
    const long long key = id;
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement update(sql, render(kCancel, dialect));
        update.use(key, "id");
        if (update.run() == 1) {
            // The request's one `Backup` record: its outcome is now known.
            std::string folder;
            boost::optional<std::string> client_address;
            Statement select(sql, kSelectCancelled);
            select.into(folder).into(client_address).use(key, "id");
            select.first();
            insert_audit_record(
                sql, dialect,
                {.action = core::AuditAction::backup,
                 .status = core::AuditStatus::failed,
                 .folder = folder,
                 .job_id = id,
                 .message = "Cancelled by request",
                 .client_address = client_address ? std::optional(*client_address) : std::nullopt,
                 .at = std::nullopt});
            return core::CancelResult::cancelled;
        }
        long long count = 0;
        Statement exists(sql, kCountJob);
        exists.into(count).use(key, "id");
        exists.first();
        return count == 0 ? core::CancelResult::not_found : core::CancelResult::already_finished;
    });
}

core::ReapResult SqlJobQueue::reap_expired(std::size_t limit) {
    struct Expired {
        long long id = 0;
        int attempt = 0;
        int max_attempts = 0;
        std::string folder;
        boost::optional<std::string> client_address;
    };
    const Dialect& dialect = dialect_for(database_.backend());
    const long long batch = static_cast<long long>(limit);
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        std::vector<Expired> expired;
        Expired row;
        Statement scan(sql, render(kSelectExpired, dialect));
        scan.into(row.id).into(row.attempt).into(row.max_attempts).into(row.folder);
        scan.into(row.client_address).use(batch, "limit");
        for (bool more = scan.first(); more; more = scan.next()) expired.push_back(row);

        core::ReapResult result;
        for (const Expired& job : expired) {
            if (job.attempt < job.max_attempts) {
                Statement requeue(sql, std::string(kBackToQueue) + kReaperFence);
                requeue.use(job.id, "id").use(job.attempt, "attempt");
                result.requeued += static_cast<std::size_t>(requeue.run());
                continue;
            }
            const std::string code(core::to_string(core::ErrorCode::lease_expired));
            const std::string message = core::message_for(
                core::ErrorCode::lease_expired, "on attempt " + std::to_string(job.attempt) +
                                                    " of " + std::to_string(job.max_attempts));
            Statement fail(sql, render(std::string(kFailExpired) + kReaperFence, dialect));
            fail.use(code, "error_code").use(message, "error_message");
            fail.use(job.id, "id").use(job.attempt, "attempt");
            if (fail.run() != 1) continue;
            ++result.failed;
            insert_audit_record(
                sql, dialect,
                {.action = core::AuditAction::backup,
                 .status = core::AuditStatus::failed,
                 .folder = job.folder,
                 .job_id = job.id,
                 .message = message,
                 .client_address =
                     job.client_address ? std::optional(*job.client_address) : std::nullopt,
                 .at = std::nullopt});
        }
        return result;
    });
}

core::ReapResult SqlJobQueue::expire_previous_incarnations(const core::LeaseOwner& current) {
    const Dialect& dialect = dialect_for(database_.backend());
    in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement statement(sql, render(kExpireIncarnations, dialect));
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

std::optional<core::Job> SqlJobQueue::find(core::JobId id) {
    const long long key = id;
    return in_read(database_.pool(), [&](soci::session& sql) -> std::optional<core::Job> {
        Statement statement(sql, select_jobs("WHERE id = :id"));
        JobRow row;
        row.bind_into(statement);
        statement.use(key, "id");
        if (!statement.first()) return std::nullopt;
        return row.to_job();
    });
}

core::JobPage SqlJobQueue::list(const core::JobFilter& filter) {
    if (filter.limit == 0) return {};
    std::string where;
    const auto add = [&](const char* condition) {
        where += where.empty() ? "WHERE " : " AND ";
        where += condition;
    };
    const std::string state = filter.state ? std::string(core::to_string(*filter.state)) : "";
    const std::string key = filter.folder ? folder_key(*filter.folder) : "";
    const long long before = filter.before.value_or(0);
    const long long limit = static_cast<long long>(filter.limit) + 1;
    if (filter.state) add("state = :state");
    if (filter.folder) add("folder_key = :folder_key AND folder = :folder");
    if (filter.before) add("id < :before");

    return in_read(database_.pool(), [&](soci::session& sql) {
        Statement statement(sql, select_jobs((where + " ORDER BY id DESC LIMIT :limit").c_str()));
        JobRow row;
        row.bind_into(statement);
        if (filter.state) statement.use(state, "state");
        if (filter.folder) statement.use(key, "folder_key").use(*filter.folder, "folder");
        if (filter.before) statement.use(before, "before");
        statement.use(limit, "limit");
        core::JobPage page;
        for (bool more = statement.first(); more; more = statement.next()) {
            if (page.jobs.size() == filter.limit) {
                page.next = page.jobs.back().id;
                break;
            }
            page.jobs.push_back(row.to_job());
        }
        return page;
    });
}

core::Stats SqlJobQueue::stats() {
    return in_read(database_.pool(), [](soci::session& sql) {
        core::Stats stats;
        long long total = 0, succeeded = 0, failed = 0, queued = 0, running = 0, cancelled = 0;
        long long bytes = 0;
        boost::optional<std::string> oldest;
        sql << kStats, soci::into(total), soci::into(succeeded), soci::into(failed),
            soci::into(queued), soci::into(running), soci::into(cancelled), soci::into(oldest),
            soci::into(bytes);
        stats = {total, succeeded, failed, queued, running, cancelled};
        if (oldest) stats.oldest_queued_at = db_time(*oldest);
        stats.bytes_copied = bytes;
        return stats;
    });
}

}  // namespace backupd::store
