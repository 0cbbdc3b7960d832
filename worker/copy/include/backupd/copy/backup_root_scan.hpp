#pragma once
// Listing what a backup root holds, for the orphan collector: staging directories and finished
// snapshot directories, without descending into snapshots, and the manifests left without their
// directory. A directory and its manifest ("<path>.manifest") are one unit: found by the
// directory, removed together by BackupRoot::remove.

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
    // Staging directories, and staging manifests without their directory (under the path the
    // directory would have).
    std::vector<FoundStaging> staging;
    std::vector<FoundSnapshot> snapshots;
    // "<folder>/<name>.manifest" files whose snapshot directory is gone, by the snapshot's path
    // "<folder>/<name>" (BackupRoot::remove of it removes the manifest).
    std::vector<FoundSnapshot> lone_manifests;
};

// Walks the folder directories of the root (never through symbolic links, never into a
// snapshot). Throws std::system_error when the root cannot be read.
BackupRootContents scan_backup_root(int root);

}  // namespace backupd::copy
