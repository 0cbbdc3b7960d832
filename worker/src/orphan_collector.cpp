#include "backupd/worker/orphan_collector.hpp"

#include <spdlog/spdlog.h>

#include "backupd/copy/backup_root_scan.hpp"

namespace backupd::worker {
namespace {

// The snapshot a job names, compared by its last segment ("<time>-<job id>", unique per job):
// the stored folder text may differ from the bytes on disk (it is cut to valid UTF-8).
bool names(const core::Job& job, const copy::FoundSnapshot& snapshot) {
    if (!job.snapshot) return false;
    const std::string_view stored = *job.snapshot;
    const std::string_view found = snapshot.path;
    return stored.substr(stored.rfind('/') + 1) == found.substr(found.rfind('/') + 1);
}

}  // namespace

CollectResult collect_orphans(core::JobQueue& queue, const copy::BackupRoot& root) {
    CollectResult result;
    const auto contents = copy::scan_backup_root(root.fd());
    for (const auto& staging : contents.staging) {
        const auto job = queue.find(staging.name.job_id);
        if (job && job->state == core::JobState::running && job->attempt == staging.name.attempt) {
            continue;
        }
        root.remove(staging.path);
        ++result.staging_removed;
        spdlog::info("event=orphan_removed kind=staging path=\"{}\"", staging.path);
    }
    // A manifest whose snapshot directory is gone: the directory was removed (and a crash
    // came before its manifest followed), or its commit died between the two renames. Spared
    // only while its job runs, since that job may be committing it right now.
    for (const auto& manifest : contents.lone_manifests) {
        if (manifest.name.job_id != 0) {
            const auto job = queue.find(manifest.name.job_id);
            if (job && job->state == core::JobState::running) continue;
        }
        root.remove(manifest.path);
        ++result.manifests_removed;
        spdlog::info("event=orphan_removed kind=manifest path=\"{}.manifest\"", manifest.path);
    }
    for (const auto& snapshot : contents.snapshots) {
        if (snapshot.name.job_id == 0) continue;  // made by `backupd snapshot`
        const auto job = queue.find(snapshot.name.job_id);
        if (!job) {
            ++result.snapshots_unknown;
            spdlog::warn("event=snapshot_unknown path=\"{}\" reason=\"no such job; left alone\"",
                         snapshot.path);
            continue;
        }
        if (job->state == core::JobState::running || names(*job, snapshot)) continue;
        // Job ids restart with every database: only a snapshot of this job's folder, taken
        // after it was submitted, can be its orphan. Anything else is another database's.
        const std::string_view folder =
            std::string_view(snapshot.path).substr(0, snapshot.path.rfind('/'));
        if (folder != job->folder ||
            snapshot.name.taken_at < std::chrono::floor<std::chrono::seconds>(job->submitted_at)) {
            ++result.snapshots_unknown;
            spdlog::warn(
                "event=snapshot_unknown path=\"{}\" reason=\"job {} is another "
                "folder's or newer; left alone\"",
                snapshot.path, job->id);
            continue;
        }
        root.remove(snapshot.path);
        ++result.snapshots_removed;
        spdlog::info("event=orphan_removed kind=snapshot path=\"{}\" job={} state={}",
                     snapshot.path, job->id, core::to_string(job->state));
    }
    return result;
}

}  // namespace backupd::worker
