#include "snapshot_row.hpp"

#include "backupd/core/error.hpp"
#include "optional_values.hpp"

namespace backupd::store {
namespace {

// The column holds 'ok' or 'failed' (a CHECK constraint); NULL is never verified.
core::VerifyState read_verify_state(long long id, const boost::optional<std::string>& state) {
    if (!state) return core::VerifyState::never;
    if (*state == "ok") return core::VerifyState::ok;
    if (*state == "failed") return core::VerifyState::failed;
    throw core::Error(
        core::ErrorCode::internal_error, "database error",
        "snapshot " + std::to_string(id) + " has unknown verify state '" + *state + "'");
}

}  // namespace

void SnapshotRow::bind_into(Statement& statement) {
    statement.into(id).into(folder).into(path).into(finished_at).into(files).into(bytes);
    statement.into(bytes_copied).into(verify_state).into(verified_at);
    statement.into(manifest_algorithm).into(manifest_digest).into(pinned);
}

core::Snapshot SnapshotRow::to_snapshot() const {
    core::Snapshot snapshot;
    snapshot.id = id;
    snapshot.folder = folder;
    snapshot.path = path;
    snapshot.name = snapshot_name(path);
    // A succeeded job always has finished_at; read defensively all the same.
    if (finished_at) snapshot.created_at = db_time(*finished_at);
    snapshot.files = files.value_or(0);
    snapshot.bytes = bytes.value_or(0);
    snapshot.bytes_copied = bytes_copied;
    snapshot.verify_state = read_verify_state(id, verify_state);
    snapshot.verified_at = optional_db_time(verified_at);
    if (manifest_algorithm && manifest_digest) {
        snapshot.manifest = core::ManifestSummary{*manifest_algorithm, *manifest_digest};
    }
    snapshot.pinned = pinned != 0;
    return snapshot;
}

std::string snapshot_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace backupd::store
