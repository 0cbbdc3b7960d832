#pragma once
// What a restore will write (internal): the snapshot's entries under the requested paths,
// grouped by directory, and what each one meets at the target under the overwrite policy.
// The plan is made in full before anything is written, so that a missing path or a conflict
// leaves the target untouched. About 80 bytes per file or link, more per directory.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <time.h>

#include "backupd/copy/filesystem.hpp"
#include "backupd/core/job.hpp"

namespace backupd::copy::detail {

enum class RestoreAction {
    create,   // absent at the target
    replace,  // a non-directory at the target gives way (if-changed, always)
    merge,    // directories only: already a directory at the target, written into
    skip,     // files and links: equal at the target (if-changed, or never when resuming)
};

// A regular file or symbolic link of one directory, as the snapshot holds it.
struct PlannedEntry {
    std::string name;
    mode_t mode = 0;  // type and permission bits
    std::int64_t size = 0;
    timespec mtime{};
    RestoreAction action = RestoreAction::create;
};

struct PlannedDirectory {
    struct stat info {};  // as in the snapshot: the mode and times it gets at the end
    // Its mode and times are restored: it is part of a requested tree, or the restore created
    // it. A directory above a requested path that already exists at the target is left as is.
    bool restore_metadata = false;
    bool walked = false;  // its whole tree is planned
    RestoreAction action = RestoreAction::create;
    std::vector<PlannedEntry> entries;  // by name, byte order
};

// By path relative to the snapshot ("" for its top). A parent is a prefix of its children's
// paths, so it sorts before them: iterating in order creates parents first.
using RestorePlan = std::map<std::string, PlannedDirectory>;

// Plans the snapshot's side: every directory, file and symbolic link under `paths` (empty: the
// whole snapshot), and the directories above them. Sockets, FIFOs and devices (a snapshot
// holds none) are left out. Throws core::Error (not_found, symlink_in_path,
// snapshot_unreadable).
RestorePlan plan_restore(const Filesystem& fs, int snapshot, const std::vector<std::string>& paths);

// Compares the plan with the directory `target` and sets every action. Returns the first path
// (plan order) that conflicts: a non-directory where a directory stands at the target (any
// policy: a target directory tree is never deleted), or anything where the snapshot has a
// directory or a file under `never` (except, when `resume`, a file or link just as this restore
// writes it: see RestoreOptions::resume). Throws std::system_error when the target cannot be
// read.
std::optional<std::string> check_restore_target(const Filesystem& fs, int target,
                                                core::Overwrite overwrite, bool resume,
                                                RestorePlan& plan);

}  // namespace backupd::copy::detail
