#pragma once
// The orphan collector (DESIGN.md section 5): at start-up, before any worker claims, it removes
// what crashed attempts left in the backup root.
//   - a staging directory, unless its job is running that very attempt (on another node
//     sharing the root);
//   - a snapshot directory whose job exists, is not running, and does not name it as its
//     snapshot (the crash fell between rename and commit, or the lease was lost), provided the
//     job is of that folder and was submitted before the snapshot's time (ids restart with
//     every database, so anything else may belong to another one).
// Snapshots whose job id the database does not know (another database, or `backupd snapshot`,
// which uses id 0) are left alone: deleting backups nobody can vouch for is not our call.

#include <cstddef>

#include "backupd/copy/snapshot.hpp"
#include "backupd/core/job_queue.hpp"

namespace backupd::worker {

struct CollectResult {
    std::size_t staging_removed = 0;
    std::size_t snapshots_removed = 0;
    std::size_t snapshots_unknown = 0;  // left alone, see above
};

// Blocks on the database and the file system. Throws core::Error or std::system_error.
CollectResult collect_orphans(core::JobQueue& queue, const copy::BackupRoot& root);

}  // namespace backupd::worker
