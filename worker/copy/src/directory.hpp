#pragma once
// The fd-relative steps every part of the copy engine repeats (internal): opening the root or
// a directory beneath it, listing a directory, and applying a copied entry's owner, mode and
// times, each in one place with one error policy.

#include <cerrno>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "backupd/copy/filesystem.hpp"
#include "backupd/copy/unique_fd.hpp"

namespace backupd::copy::detail {

// `root` itself (a duplicate) for an empty `path`, else the directory `path` beneath `root`,
// never through a symbolic link. An empty descriptor with errno set when it cannot be opened;
// the caller decides what that means (a source problem, a target failure, no previous copy).
UniqueFd open_directory(const Filesystem& fs, int root, const std::string& path);

// Calls `visit(const dirent&)` for each entry of `directory` but "." and "..", until it
// returns false. Returns 0, or the errno that ended the listing early (it could not be opened
// or read); the caller decides what that means.
template <typename Visit>
int for_each_entry(int directory, Visit&& visit) {
    DIR* listing = ::fdopendir(::fcntl(directory, F_DUPFD_CLOEXEC, 0));
    if (listing == nullptr) return errno;
    const std::unique_ptr<DIR, int (*)(DIR*)> closer(listing, ::closedir);
    for (;;) {
        errno = 0;
        const dirent* entry = ::readdir(listing);
        if (entry == nullptr) return errno;
        const std::string_view name = entry->d_name;
        if (name == "." || name == "..") continue;
        if (!visit(*entry)) return 0;
    }
}

// Throws std::system_error(errno) for "<what> '<path>' <where>": by default "in the snapshot",
// the target of a copy; a restore names its own target.
[[noreturn]] void throw_target_error(const char* what, const std::string& path,
                                     const char* where = "in the snapshot");

// Gives the copied entry `name` in `directory` ("" for `directory` itself; never through a
// symbolic link) the owner (when `keep_owner`), mode (not for a link) and times of `info`.
// Error policy, the same for files, directories and links: any failure is a failure of the
// backup root and throws std::system_error naming `path`, because a snapshot that silently
// lost a mode or an owner is not the copy it claims to be. `where` as for throw_target_error.
void apply_metadata(const Filesystem& fs, int directory, const char* name, const struct stat& info,
                    bool keep_owner, const std::string& path,
                    const char* where = "in the snapshot");

}  // namespace backupd::copy::detail
