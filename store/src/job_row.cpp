#include "job_row.hpp"

#include "backupd/core/error.hpp"

namespace backupd::store {
namespace {

std::optional<core::Timestamp> optional_db_time(const boost::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return db_time(*text);
}

template <typename T>
std::optional<T> to_std(const boost::optional<T>& value) {
    return value ? std::optional<T>(*value) : std::nullopt;
}

}  // namespace

core::Timestamp db_time(const std::string& text) {
    const auto parsed = core::parse_db_time(text);
    if (!parsed) {
        throw core::Error(core::ErrorCode::internal_error, "database error",
                          "unreadable time in the database: '" + text + "'");
    }
    return *parsed;
}

void JobRow::bind_into(Statement& statement) {
    statement.into(id).into(folder).into(state).into(attempt).into(max_attempts);
    statement.into(lease_owner).into(lease_expires_at).into(heartbeat_at);
    statement.into(submitted_at).into(started_at).into(finished_at);
    statement.into(files_copied).into(files_linked).into(bytes_copied);
    statement.into(files_total).into(bytes_total).into(snapshot);
    statement.into(error_code).into(error_message).into(batch_id).into(node);
    statement.into(client_address);
}

core::Job JobRow::to_job() const {
    core::Job job;
    job.id = id;
    job.folder = folder;
    const auto parsed_state = core::parse_job_state(state);
    if (!parsed_state) {
        throw core::Error(core::ErrorCode::internal_error, "database error",
                          "job " + std::to_string(id) + " has unknown state '" + state + "'");
    }
    job.state = *parsed_state;
    job.attempt = attempt;
    job.max_attempts = max_attempts;
    job.lease_owner = to_std(lease_owner);
    job.lease_expires_at = optional_db_time(lease_expires_at);
    job.heartbeat_at = optional_db_time(heartbeat_at);
    job.submitted_at = db_time(submitted_at);
    job.started_at = optional_db_time(started_at);
    job.finished_at = optional_db_time(finished_at);
    job.progress = {files_copied, files_linked, bytes_copied, to_std(files_total),
                    to_std(bytes_total)};
    job.snapshot = to_std(snapshot);
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

}  // namespace backupd::store
