#include "backupd/core/restores.hpp"

#include "backupd/core/snapshot_paths.hpp"

namespace backupd::core {
namespace {

// The job for a request on snapshot `id`: of its folder and path when the snapshot exists,
// refused with not_found when it does not.
NewJob job_on(const SnapshotPorts& ports, JobKind kind, JobId id,
              const std::optional<std::string>& client_address, std::optional<Snapshot>& snapshot) {
    NewJob job;
    job.kind = kind;
    job.snapshot_id = id;
    job.client_address = client_address;
    snapshot = find_snapshot(ports, id);
    if (snapshot) {
        job.folder = snapshot->folder;
        job.snapshot = snapshot->path;
    } else {
        job.rejection = no_such_snapshot(id);
    }
    return job;
}

// Why `path` cannot be restored from the snapshot on disk: it is not there (not_found), or a
// symbolic link lies on the way (symlink_in_path, never followed). Other errors (an unreadable
// disk) are left for the worker, which checks again.
std::optional<JobError> check_on_disk(const SnapshotFiles& files, const Snapshot& snapshot,
                                      const std::string& path) {
    try {
        (void)files.entry_type(snapshot.path, path);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::not_found || e.code() == ErrorCode::symlink_in_path)
            return JobError{e.code(), e.what()};
    }
    return std::nullopt;
}

// Why the restore of `snapshot` that `request` asks for is refused, or nullopt; fills `spec`.
std::optional<JobError> check_restore(const SnapshotFiles& files, const Snapshot& snapshot,
                                      const RestoreRequest& request, RestoreSpec& spec) {
    if (request.refusal) return request.refusal;
    for (const auto& path : request.paths) {
        if (auto error = check_snapshot_path(path)) return error;
    }
    for (const auto& path : request.paths) {
        if (auto error = check_on_disk(files, snapshot, path)) return error;
    }
    spec.paths = request.paths;
    spec.overwrite = request.overwrite.value_or(Overwrite::never);
    spec.in_place = request.in_place;
    if (request.in_place) {
        if (!request.overwrite) {
            return JobError{ErrorCode::invalid_request,
                            "an in-place restore replaces files in the source folder itself: give "
                            "\"overwrite\" explicitly (never, if-changed or always)"};
        }
        if (request.target) {
            return JobError{ErrorCode::invalid_request,
                            "an in-place restore writes into the source folder: give no "
                            "\"target\""};
        }
        spec.target = snapshot.folder;
        return std::nullopt;
    }
    spec.target = request.target.value_or(default_restore_target(snapshot.folder, snapshot.name));
    if (auto error = check_snapshot_path(spec.target)) {
        error->message += " (the target is a relative name under the restore root)";
        return error;
    }
    return std::nullopt;
}

SubmittedJob enqueue(const SnapshotPorts& ports, const NewJob& job) {
    SubmittedJob out{ports.jobs.enqueue(job), job.rejection.has_value()};
    if (!out.rejected) ports.job_queued();
    return out;
}

}  // namespace

SubmittedJob submit_restore(const SnapshotPorts& ports, const RestoreRequest& request) {
    std::optional<Snapshot> snapshot;
    NewJob job =
        job_on(ports, JobKind::restore, request.snapshot, request.client_address, snapshot);
    if (snapshot) {
        RestoreSpec spec;
        job.rejection = check_restore(ports.files, *snapshot, request, spec);
        if (!job.rejection) job.restore = std::move(spec);
    }
    return enqueue(ports, job);
}

SubmittedJob submit_verify(const SnapshotPorts& ports, JobId snapshot,
                           const std::optional<std::string>& client_address) {
    std::optional<Snapshot> found;
    return enqueue(ports, job_on(ports, JobKind::verify, snapshot, client_address, found));
}

JobError no_such_snapshot(JobId id) {
    return {ErrorCode::not_found, "No such snapshot: " + std::to_string(id)};
}

JobError snapshot_is_pinned(JobId id) {
    return {ErrorCode::snapshot_pinned,
            message_for(ErrorCode::snapshot_pinned, "snapshot " + std::to_string(id))};
}

JobError snapshot_in_use(JobId id) {
    return {ErrorCode::conflict,
            "Snapshot " + std::to_string(id) +
                " is in use by a queued or running restore or verify; delete it once that job "
                "has ended"};
}

std::optional<Snapshot> find_snapshot(const SnapshotPorts& ports, JobId id) {
    auto snapshot = ports.catalog.find(id);
    if (!snapshot || !ports.files.exists(snapshot->path)) return std::nullopt;
    return snapshot;
}

}  // namespace backupd::core
