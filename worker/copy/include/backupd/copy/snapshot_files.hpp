#pragma once
// Opening a committed snapshot and its manifest beneath the backup root, never through a
// symbolic link (the paths come from the database, but the disk is trusted no more than that).

#include <string_view>

#include "backupd/copy/snapshot.hpp"
#include "backupd/copy/unique_fd.hpp"

namespace backupd::copy {

// The snapshot directory at `snapshot_path` ("<folder>/<name>"): an empty descriptor when it is
// not (or no longer) on disk. Throws std::system_error for other failures.
UniqueFd open_snapshot(const BackupRoot& root, std::string_view snapshot_path);

// Its manifest file ("<folder>/<name>.manifest"), read-only: an empty descriptor when there is
// none. Throws std::system_error for other failures.
UniqueFd open_manifest(const BackupRoot& root, std::string_view snapshot_path);

}  // namespace backupd::copy
