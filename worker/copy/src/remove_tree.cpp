#include "backupd/copy/remove_tree.hpp"

#include <cerrno>
#include <memory>
#include <string>
#include <system_error>

#include <fcntl.h>

#include "backupd/copy/unique_fd.hpp"
#include "directory.hpp"

namespace backupd::copy {
namespace {

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void remove_contents(const Filesystem& fs, int directory) {
    const int error = detail::for_each_entry(directory, [&](const dirent& entry) {
        remove_tree(directory, entry.d_name, fs);
        return true;
    });
    if (error != 0) {
        errno = error;
        fail("listing a directory to remove");
    }
}

}  // namespace

void remove_tree(int parent, std::string_view name, const Filesystem& fs) {
    const std::string entry(name);
    if (fs.remove(parent, entry.c_str(), 0) == 0 || errno == ENOENT) return;
    if (errno != EISDIR && errno != EPERM) fail("removing a file");
    constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    UniqueFd directory(fs.open(parent, entry.c_str(), kFlags, 0));
    if (!directory && errno == EACCES) {
        // A copied mode without read permission (0300, 0000): ours to lift before reading.
        // unlinkat just said EISDIR, so this is a directory, not a link to follow.
        if (fs.set_mode(parent, entry.c_str(), 0700) != 0)
            fail("making a directory to remove readable");
        directory.reset(fs.open(parent, entry.c_str(), kFlags, 0));
    }
    if (!directory) {
        if (errno == ENOENT) return;
        fail("opening a directory to remove");
    }
    // A snapshot keeps its source's directory modes, read-only ones included; the files are
    // left alone (their inodes may be shared with other snapshots).
    (void)fs.set_mode(directory.get(), "", 0700);
    remove_contents(fs, directory.get());
    if (fs.remove(parent, entry.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
        fail("removing a directory");
}

}  // namespace backupd::copy
