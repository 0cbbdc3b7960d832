#pragma once
// Finding entries inside a snapshot without following any symbolic link (internal), shared by
// restore_tree and SnapshotBrowser. Every failure becomes the core::Error a client may see:
// its message names the path as given (relative to the snapshot), never a server path.

#include <string>

#include <sys/stat.h>

#include "backupd/copy/filesystem.hpp"
#include "backupd/copy/unique_fd.hpp"
#include "backupd/core/error.hpp"

namespace backupd::copy::detail {

// Throws core::Error(`code`) about `path` inside a snapshot; `error` (an errno, 0 for none)
// goes to the operator detail only.
[[noreturn]] void throw_snapshot_error(core::ErrorCode code, const std::string& path,
                                       int error = 0);

// The directory `path` ('/'-separated, checked; "" for `snapshot` itself) beneath the snapshot
// directory `snapshot`. Throws core::Error: not_found, symlink_in_path (a link anywhere on the
// way, the last segment included), not_a_directory (the last segment is something else),
// snapshot_unreadable.
UniqueFd open_snapshot_directory(const Filesystem& fs, int snapshot, const std::string& path);

// An entry of a snapshot, never followed: the directory holding it (open), its name there and
// its lstat.
struct SnapshotEntry {
    UniqueFd directory;
    std::string name;
    struct stat info {};
};

// Finds the entry `path` (non-empty, checked) beneath `snapshot`. A symbolic link as the last
// segment is the entry itself. Throws core::Error: not_found (missing, or a segment on the way
// is not a directory), symlink_in_path (a link on the way), snapshot_unreadable.
SnapshotEntry find_snapshot_entry(const Filesystem& fs, int snapshot, const std::string& path);

// The target of the symbolic link `name` in `directory`; `size_hint` is its lstat size (a link
// that grew since is read again). Throws core::Error(snapshot_unreadable) naming `path`.
std::string read_snapshot_link(const Filesystem& fs, int directory, const char* name,
                               std::size_t size_hint, const std::string& path);

// "<directory>/<name>", or `name` for the top directory "".
std::string join_path(const std::string& directory, std::string_view name);

}  // namespace backupd::copy::detail
