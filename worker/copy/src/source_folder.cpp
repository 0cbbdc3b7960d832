#include "backupd/copy/source_folder.hpp"

#include <cerrno>
#include <string>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>

#include "open_beneath.hpp"

namespace backupd::copy {
namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
using detail::openat2_directory;

SourceFolderError from_errno(int error) {
    switch (error) {
        case ENOENT: return SourceFolderError::no_such_directory;
        case ENOTDIR: return SourceFolderError::not_a_directory;
        case EXDEV: return SourceFolderError::leaves_source_root;
        case ELOOP: return SourceFolderError::symlink_in_path;
        default: return SourceFolderError::unreadable;
    }
}

// A symlink stopped RESOLVE_NO_SYMLINKS: tell a link out of the root from one inside it by
// resolving again with RESOLVE_BENEATH alone, which fails with EXDEV for an escape.
SourceFolderError classify_symlink(int root, const std::string& path) {
    const int fd = openat2_directory(root, path.c_str(), RESOLVE_BENEATH);
    if (fd >= 0) {
        ::close(fd);
        return SourceFolderError::symlink_in_path;
    }
    return errno == EXDEV ? SourceFolderError::leaves_source_root
                          : SourceFolderError::symlink_in_path;
}

// The fallback for kernels before 5.6: one segment at a time, never following a link.
OpenResult walk_segments(int root, std::string_view folder) {
    UniqueFd current(::fcntl(root, F_DUPFD_CLOEXEC, 0));
    if (!current) return SourceFolderError::unreadable;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = folder.find('/', start);
        const std::string segment(folder.substr(start, slash - start));
        const int fd = ::openat(current.get(), segment.c_str(), kDirectoryFlags | O_NOFOLLOW);
        if (fd < 0) {
            // O_NOFOLLOW|O_DIRECTORY on a symlink fails with ELOOP or ENOTDIR depending on the
            // kernel: look at what is there.
            struct stat info {};
            if ((errno == ELOOP || errno == ENOTDIR) &&
                ::fstatat(current.get(), segment.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISLNK(info.st_mode)) {
                return SourceFolderError::symlink_in_path;
            }
            return from_errno(errno);
        }
        current.reset(fd);
        if (slash == std::string_view::npos) return current;
        start = slash + 1;
    }
}

}  // namespace

std::string_view describe(SourceFolderError error) {
    switch (error) {
        case SourceFolderError::invalid_name: return "Invalid folder name";
        case SourceFolderError::no_such_directory: return "No such directory";
        case SourceFolderError::not_a_directory: return "Not a directory";
        case SourceFolderError::leaves_source_root:
            return "The folder path leads outside the source root";
        case SourceFolderError::symlink_in_path:
            return "The folder path goes through a symbolic link, which is never followed";
        case SourceFolderError::unreadable: return "The folder cannot be read";
    }
    return "The folder cannot be opened";
}

OpenResult open_source_folder(int root, std::string_view folder) {
    if (validate_folder_name(folder)) return SourceFolderError::invalid_name;
    const std::string path(folder);
    const int fd = openat2_directory(root, path.c_str(), RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
    if (fd >= 0) return UniqueFd(fd);
    if (errno == ENOSYS) return walk_segments(root, folder);
    if (errno == ELOOP) return classify_symlink(root, path);
    return from_errno(errno);
}

// Exposed for tests: the fallback path, whatever the kernel.
OpenResult open_source_folder_without_openat2(int root, std::string_view folder) {
    if (validate_folder_name(folder)) return SourceFolderError::invalid_name;
    return walk_segments(root, folder);
}

}  // namespace backupd::copy
