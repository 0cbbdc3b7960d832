#pragma once
// Listing what a backup root holds, for the orphan collector: staging directories and finished
// snapshot directories, without descending into snapshots.

#include <string>
#include <vector>

#include "backupd/copy/snapshot_layout.hpp"

namespace backupd::copy {

struct FoundStaging {
    std::string path;  // relative to the root: ".staging/<id>-<attempt>"
    StagingName name;
};

struct FoundSnapshot {
    std::string path;  // relative to the root: "<folder>/<name>"
    SnapshotName name;
};

struct BackupRootContents {
    std::vector<FoundStaging> staging;
    std::vector<FoundSnapshot> snapshots;
};

// Walks the folder directories of the root (never through symbolic links, never into a
// snapshot). Throws std::system_error when the root cannot be read.
BackupRootContents scan_backup_root(int root);

}  // namespace backupd::copy
