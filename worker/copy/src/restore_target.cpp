#include <cerrno>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backupd/copy/restore_tree.hpp"
#include "backupd/core/error.hpp"

namespace backupd::copy {
namespace {

[[noreturn]] void throw_target_error(int error, std::string_view relative) {
    throw std::system_error(error, std::generic_category(),
                            "opening the restore target '" + std::string(relative) + "'");
}

}  // namespace

// One segment at a time with O_NOFOLLOW rather than openat2: each missing segment is created
// on the way, and a link met is told apart from anything else that is not a directory.
UniqueFd open_restore_target(int root, std::string_view relative) {
    UniqueFd current(::fcntl(root, F_DUPFD_CLOEXEC, 0));
    if (!current) throw_target_error(errno, relative);
    std::size_t start = 0;
    while (start < relative.size()) {
        const std::size_t slash = relative.find('/', start);
        const std::string segment(relative.substr(start, slash - start));
        start = slash == std::string_view::npos ? relative.size() : slash + 1;
        constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        int next = ::openat(current.get(), segment.c_str(), kFlags);
        if (next < 0 && errno == ENOENT) {
            // EEXIST: another restore created it meanwhile, which is as good.
            if (::mkdirat(current.get(), segment.c_str(), 0700) != 0 && errno != EEXIST)
                throw_target_error(errno, relative);
            next = ::openat(current.get(), segment.c_str(), kFlags);
        }
        if (next < 0) {
            const int error = errno;
            struct stat info {};
            if (::fstatat(current.get(), segment.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISLNK(info.st_mode)) {
                throw core::Error(core::ErrorCode::symlink_in_path,
                                  core::message_for(core::ErrorCode::symlink_in_path, relative));
            }
            throw_target_error(error, relative);
        }
        current.reset(next);
    }
    return current;
}

}  // namespace backupd::copy
