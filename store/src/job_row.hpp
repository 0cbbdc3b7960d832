#pragma once
// The columns of a job as read from the jobs table, and their conversion to core::Job.

#include <optional>
#include <string>

#include <boost/optional.hpp>
#include <soci/soci.h>

#include "backupd/core/job.hpp"
#include "statement.hpp"

// The select list matching JobRow::bind_into, in order. A macro, so that every statement that
// reads jobs is still one whole string literal: "SELECT " BACKUPD_JOB_COLUMNS " FROM jobs ...".
#define BACKUPD_JOB_COLUMNS                                                                     \
    "id, folder, state, attempt, max_attempts, lease_owner, lease_expires_at, heartbeat_at, "   \
    "submitted_at, started_at, finished_at, run_after, files_copied, files_linked, "            \
    "bytes_copied, files_total, bytes_total, snapshot, error_code, error_message, batch_id, "   \
    "node, client_address, kind, snapshot_id, restore_paths, restore_target, "                  \
    "restore_overwrite, restore_in_place, manifest_algorithm, manifest_digest, verify_report, " \
    "plan, scheduled_for, prune_removed, prune_kept"

namespace backupd::store {

struct JobRow {
    long long id = 0;
    std::string folder;
    std::string state;
    int attempt = 0;
    int max_attempts = 0;
    boost::optional<std::string> lease_owner;
    boost::optional<std::string> lease_expires_at;
    boost::optional<std::string> heartbeat_at;
    std::string submitted_at;
    boost::optional<std::string> started_at;
    boost::optional<std::string> finished_at;
    boost::optional<std::string> run_after;
    long long files_copied = 0;
    long long files_linked = 0;
    long long bytes_copied = 0;
    boost::optional<long long> files_total;
    boost::optional<long long> bytes_total;
    boost::optional<std::string> snapshot;
    boost::optional<std::string> error_code;
    boost::optional<std::string> error_message;
    boost::optional<std::string> batch_id;
    boost::optional<std::string> node;
    boost::optional<std::string> client_address;
    std::string kind;
    boost::optional<long long> snapshot_id;
    boost::optional<std::string> restore_paths;  // path_codec.hpp
    boost::optional<std::string> restore_target;
    boost::optional<std::string> restore_overwrite;
    boost::optional<int> restore_in_place;
    boost::optional<std::string> manifest_algorithm;
    boost::optional<std::string> manifest_digest;
    boost::optional<std::string> verify_report;  // path_codec.hpp
    boost::optional<std::string> plan;
    boost::optional<std::string> scheduled_for;
    boost::optional<long long> prune_removed;
    boost::optional<long long> prune_kept;

    void bind_into(Statement& statement);
    // Throws core::Error (internal) when a stored value is not one this binary understands.
    core::Job to_job() const;
};

// A job's kind column, read; throws core::Error (internal) when it is not one this binary knows.
core::JobKind stored_kind(long long id, const std::string& kind);
// A job's state column, read; throws as stored_kind does.
core::JobState stored_state(long long id, const std::string& state);

// The job with this id, read on `sql` (inside the caller's transaction, if any).
std::optional<core::Job> select_job(soci::session& sql, core::JobId id);

// As select_job, for a job the caller's transaction just wrote: throws core::Error (internal)
// when it is not there.
core::Job load_job(soci::session& sql, core::JobId id);

}  // namespace backupd::store
