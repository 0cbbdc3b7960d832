#include "job_row.hpp"

#include "backupd/core/error.hpp"
#include "optional_values.hpp"
#include "path_codec.hpp"

namespace backupd::store {
namespace {

constexpr char kSelectJob[] = "SELECT " BACKUPD_JOB_COLUMNS " FROM jobs WHERE id = :id";

[[noreturn]] void unreadable(long long id, const std::string& what) {
    throw core::Error(core::ErrorCode::internal_error, "database error",
                      "job " + std::to_string(id) + " has " + what);
}

// The restore columns are written together (job_writes.cpp); restore_overwrite tells they were.
std::optional<core::RestoreSpec> read_restore(const JobRow& row) {
    if (!row.restore_overwrite) return std::nullopt;
    core::RestoreSpec spec;
    const auto overwrite = core::parse_overwrite(*row.restore_overwrite);
    if (!overwrite) unreadable(row.id, "unknown overwrite policy '" + *row.restore_overwrite + "'");
    spec.overwrite = *overwrite;
    auto paths = decode_path_list(row.restore_paths.value_or(""));
    auto target = unescape_path(row.restore_target.value_or(""));
    if (!paths || !target) unreadable(row.id, "unreadable restore paths or target");
    spec.paths = std::move(*paths);
    spec.target = std::move(*target);
    spec.in_place = row.restore_in_place.value_or(0) != 0;
    return spec;
}

}  // namespace

void JobRow::bind_into(Statement& statement) {
    statement.into(id).into(folder).into(state).into(attempt).into(max_attempts);
    statement.into(lease_owner).into(lease_expires_at).into(heartbeat_at);
    statement.into(submitted_at).into(started_at).into(finished_at).into(run_after);
    statement.into(files_copied).into(files_linked).into(bytes_copied);
    statement.into(files_total).into(bytes_total).into(snapshot);
    statement.into(error_code).into(error_message).into(batch_id).into(node);
    statement.into(client_address).into(kind).into(snapshot_id).into(restore_paths);
    statement.into(restore_target).into(restore_overwrite).into(restore_in_place);
    statement.into(manifest_algorithm).into(manifest_digest).into(verify_report);
    statement.into(plan).into(scheduled_for).into(prune_removed).into(prune_kept);
}

core::Job JobRow::to_job() const {
    core::Job job;
    job.id = id;
    job.kind = stored_kind(id, kind);
    job.folder = folder;
    job.state = stored_state(id, state);
    job.attempt = attempt;
    job.max_attempts = max_attempts;
    job.lease_owner = to_std(lease_owner);
    job.lease_expires_at = optional_db_time(lease_expires_at);
    job.heartbeat_at = optional_db_time(heartbeat_at);
    job.submitted_at = db_time(submitted_at);
    job.started_at = optional_db_time(started_at);
    job.finished_at = optional_db_time(finished_at);
    job.retry_at = optional_db_time(run_after);
    job.progress = {files_copied, files_linked, bytes_copied, to_std(files_total),
                    to_std(bytes_total)};
    job.snapshot = to_std(snapshot);
    job.snapshot_id = to_std(snapshot_id);
    job.restore = read_restore(*this);
    if (manifest_algorithm && manifest_digest) {
        job.manifest = core::ManifestSummary{*manifest_algorithm, *manifest_digest};
    }
    if (verify_report) {
        job.verify = decode_verify_report(*verify_report);
        if (!job.verify) unreadable(id, "an unreadable verify report");
    }
    // Both are written together when a prune job succeeds (job_finish.cpp).
    if (prune_removed && prune_kept) job.prune = core::PruneReport{*prune_removed, *prune_kept};
    job.plan = to_std(plan);
    job.scheduled_for = optional_db_time(scheduled_for);
    if (error_code) {
        // A code this binary does not know (written by a newer one) reads as internal_error.
        job.error = core::JobError{
            core::parse_error_code(*error_code).value_or(core::ErrorCode::internal_error),
            error_message.value_or("")};
    }
    job.batch_id = to_std(batch_id);
    job.node = to_std(node);
    job.client_address = to_std(client_address);
    return job;
}

core::JobKind stored_kind(long long id, const std::string& kind) {
    const auto parsed = core::parse_job_kind(kind);
    if (!parsed) unreadable(id, "unknown kind '" + kind + "'");
    return *parsed;
}

core::JobState stored_state(long long id, const std::string& state) {
    const auto parsed = core::parse_job_state(state);
    if (!parsed) unreadable(id, "unknown state '" + state + "'");
    return *parsed;
}

std::optional<core::Job> select_job(soci::session& sql, core::JobId id) {
    const long long key = id;
    Statement statement(sql, kSelectJob);
    JobRow row;
    row.bind_into(statement);
    statement.use(key, "id");
    if (!statement.first()) return std::nullopt;
    return row.to_job();
}

core::Job load_job(soci::session& sql, core::JobId id) {
    auto job = select_job(sql, id);
    if (!job) {
        throw core::Error(core::ErrorCode::internal_error, "database error",
                          "job " + std::to_string(id) + " vanished inside its transaction");
    }
    return std::move(*job);
}

}  // namespace backupd::store
