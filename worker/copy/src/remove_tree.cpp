#include "backupd/copy/remove_tree.hpp"

#include <cerrno>
#include <memory>
#include <string>
#include <system_error>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backupd/copy/unique_fd.hpp"

namespace backupd::copy {
namespace {

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void remove_contents(int directory) {
    DIR* listing = ::fdopendir(::fcntl(directory, F_DUPFD_CLOEXEC, 0));
    if (listing == nullptr) fail("listing a directory to remove");
    std::unique_ptr<DIR, int (*)(DIR*)> closer(listing, ::closedir);
    while (const dirent* entry = ::readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (name != "." && name != "..") remove_tree(directory, name);
    }
}

}  // namespace

void remove_tree(int parent, std::string_view name) {
    const std::string entry(name);
    if (::unlinkat(parent, entry.c_str(), 0) == 0 || errno == ENOENT) return;
    if (errno != EISDIR && errno != EPERM) fail("removing a file");
    constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    UniqueFd directory(::openat(parent, entry.c_str(), kFlags));
    if (!directory && errno == EACCES) {
        // A copied mode without read permission (0300, 0000): ours to lift before reading.
        // unlinkat just said EISDIR, so this is a directory, not a link to follow.
        if (::fchmodat(parent, entry.c_str(), 0700, 0) != 0)
            fail("making a directory to remove readable");
        directory.reset(::openat(parent, entry.c_str(), kFlags));
    }
    if (!directory) {
        if (errno == ENOENT) return;
        fail("opening a directory to remove");
    }
    // A snapshot keeps its source's directory modes, read-only ones included; the files are
    // left alone (their inodes may be shared with other snapshots).
    ::fchmod(directory.get(), 0700);
    remove_contents(directory.get());
    if (::unlinkat(parent, entry.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
        fail("removing a directory");
}

}  // namespace backupd::copy
