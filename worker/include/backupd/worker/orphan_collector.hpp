#pragma once
// The orphan collector (docs/design.md section 5): once at start-up, after the previous run's
// leases are expired, it removes what crashed attempts left in the backup root. `serve` runs it in
// the background while the workers already claim and copy, so it must never take a live attempt's
// files for an orphan. It cannot, because each directory is judged by its job's row, read after
// the directory was seen, and every live directory is covered by a row written before it exists:
//   - `.staging/<id>-<attempt>` is created only after the claim committed that attempt as
//     `running`, so the row read afterwards says running with that attempt (spared), or the
//     attempt is over (finished, cancelled, lease lost): then no live copy writes there again,
//     because a new attempt has a new number and so another directory, and a copy that lost its
//     lease cannot commit (the finish is fenced);
//   - a snapshot directory appears by a rename made while its job is `running` (the lease is
//     checked just before); the row then says running (spared) or names the snapshot (spared).
//     A later attempt never renames onto an orphan: the rename refuses an existing name and
//     takes the next second instead, so a name judged an orphan stays that orphan until this
//     collector has removed it.
// (Two daemons starting at once over one shared backup root could still race each other's
// decisions; that was so before the collector moved to the background, and is rare.)
//   - a staging directory, unless its job is running that very attempt (on another node
//     sharing the root);
//   - a snapshot directory whose job exists, is not running, and does not name it as its
//     snapshot (the crash fell between rename and commit, or the lease was lost), provided the
//     job is of that folder and was submitted before the snapshot's time (ids restart with
//     every database, so anything else may belong to another one).
// Each snapshot's manifest goes with its directory (BackupRoot::remove takes both). A manifest
// left without its directory (a crash between the two renames of a commit, or between the two
// removals) is removed unless its job is running: that job may be between the two renames.
// Snapshots whose job id the database does not know (another database, or `backupd snapshot`,
// which uses id 0) are left alone: deleting backups nobody can vouch for is not our call.

#include <cstddef>

#include "backupd/copy/snapshot.hpp"
#include "backupd/core/job_queue.hpp"

namespace backupd::worker {

struct CollectResult {
    std::size_t staging_removed = 0;
    std::size_t snapshots_removed = 0;
    std::size_t manifests_removed = 0;  // manifests without their snapshot directory
    std::size_t snapshots_unknown = 0;  // left alone, see above
};

// Blocks on the database and the file system. Throws core::Error or std::system_error.
CollectResult collect_orphans(core::JobQueue& queue, const copy::BackupRoot& root);

}  // namespace backupd::worker
