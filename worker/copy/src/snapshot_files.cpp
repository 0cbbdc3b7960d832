#include "backupd/copy/snapshot_files.hpp"

#include <cerrno>
#include <string>
#include <system_error>

#include <fcntl.h>

#include "backupd/copy/manifest.hpp"
#include "directory.hpp"

namespace backupd::copy {
namespace {

// Absent, or a symbolic link where a directory or file should be: not a snapshot of ours.
bool is_absent(int error) {
    return error == ENOENT || error == ENOTDIR || error == ELOOP || error == EXDEV;
}

}  // namespace

UniqueFd open_snapshot(const BackupRoot& root, std::string_view snapshot_path) {
    // The empty path would be the backup root itself: never a snapshot.
    if (snapshot_path.empty()) return {};
    const std::string path(snapshot_path);
    UniqueFd fd = detail::open_directory(root.filesystem(), root.fd(), path);
    if (!fd && !is_absent(errno)) {
        throw std::system_error(errno, std::generic_category(), "open snapshot " + path);
    }
    return fd;
}

UniqueFd open_manifest(const BackupRoot& root, std::string_view snapshot_path) {
    if (snapshot_path.empty()) return {};
    const std::string path = manifest_path(snapshot_path);
    const auto slash = path.rfind('/');
    const Filesystem& fs = root.filesystem();
    const UniqueFd parent = detail::open_directory(
        fs, root.fd(), slash == std::string::npos ? std::string() : path.substr(0, slash));
    if (!parent) {
        if (is_absent(errno)) return {};
        throw std::system_error(errno, std::generic_category(), "open manifest " + path);
    }
    const char* name = path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
    UniqueFd fd(fs.open(parent.get(), name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0));
    if (!fd && !is_absent(errno)) {
        throw std::system_error(errno, std::generic_category(), "open manifest " + path);
    }
    return fd;
}

}  // namespace backupd::copy
