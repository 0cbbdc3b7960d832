#pragma once
// Restoring from a snapshot (docs/design.md section 6): copies chosen paths of a snapshot into a
// target directory. Each file is written under a temporary name in its final directory and
// renamed into place once it is on disk (renames wait in batches for one syncfs), so no
// half-written file ever stands under its final name, whether the process dies or the power. Modes,
// times, symbolic links (as links, never followed) and, as root, owners are restored; directories
// get their metadata last.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/copy/copy_tree.hpp"
#include "backupd/copy/filesystem.hpp"
#include "backupd/copy/unique_fd.hpp"
#include "backupd/core/job.hpp"

namespace backupd::copy {

struct RestoreOptions {
    core::Overwrite overwrite = core::Overwrite::never;
    // A retried attempt of the same restore. Each entry an interrupted attempt wrote was renamed
    // into place whole, after its conflict check had found the path free; so under `never` a
    // file or link at the target with the snapshot's type, mode, size and mtime is left alone
    // as already restored, not taken for a conflict. Anything else still conflicts. Temporary
    // files the interrupted attempt left in directories it had written are deleted.
    bool resume = false;
    std::optional<bool> keep_owner;  // unset: when running as root
    std::stop_token stop;
    std::function<void(const CopyProgress&)> on_progress;  // throttled like copy_tree's
    std::chrono::milliseconds progress_interval{200};
};

enum class RestoreStatus {
    completed,
    stopped,   // the stop token was requested
    conflict,  // overwrite never and a path exists at the target: nothing was written
};

struct RestoreResult {
    RestoreStatus status = RestoreStatus::completed;
    CopyProgress progress;  // files_copied: written; files_linked: unused; files_skipped: equal
                            // files left alone (if-changed)
    std::optional<std::string> conflict;  // the first existing path, for `conflict`
};

// Restores `paths` (relative to the snapshot, already checked; empty: everything) from the
// snapshot directory `snapshot` into the directory `target` (both borrowed). A path missing from
// the snapshot throws core::Error(not_found), one through a symbolic link core::Error(
// symlink_in_path), before anything is written. With overwrite never, every path is checked for
// an existing entry before anything is written. Target failures throw std::system_error.
RestoreResult restore_tree(int snapshot, const std::vector<std::string>& paths, int target,
                           const RestoreOptions& options,
                           const Filesystem& filesystem = system_filesystem());

// Opens the directory `relative` ('/'-separated, checked) beneath `root`, creating missing
// directories (mode 0700 while empty is fine: restore_tree sets final modes of what it
// restores), never following a symbolic link. Throws core::Error(symlink_in_path) or
// std::system_error.
UniqueFd open_restore_target(int root, std::string_view relative);

}  // namespace backupd::copy
