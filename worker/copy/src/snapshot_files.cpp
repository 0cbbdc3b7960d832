#include "backupd/copy/snapshot_files.hpp"

#include <cerrno>
#include <string>
#include <system_error>

#include <fcntl.h>

#include "backupd/copy/manifest.hpp"
#include "open_beneath.hpp"

namespace backupd::copy {
namespace {

// Absent, or a symbolic link where a directory or file should be: not a snapshot of ours.
bool is_absent(int error) {
    return error == ENOENT || error == ENOTDIR || error == ELOOP || error == EXDEV;
}

}  // namespace

UniqueFd open_snapshot(const BackupRoot& root, std::string_view snapshot_path) {
    const std::string path(snapshot_path);
    UniqueFd fd(detail::open_directory_beneath(root.fd(), path.c_str()));
    if (!fd && !is_absent(errno)) {
        throw std::system_error(errno, std::generic_category(), "open snapshot " + path);
    }
    return fd;
}

UniqueFd open_manifest(const BackupRoot& root, std::string_view snapshot_path) {
    const std::string path = manifest_path(snapshot_path);
    const auto slash = path.rfind('/');
    UniqueFd parent;
    if (slash == std::string::npos) {
        parent.reset(::fcntl(root.fd(), F_DUPFD_CLOEXEC, 0));
    } else {
        parent.reset(detail::open_directory_beneath(root.fd(), path.substr(0, slash).c_str()));
    }
    if (!parent) {
        if (is_absent(errno)) return {};
        throw std::system_error(errno, std::generic_category(), "open manifest " + path);
    }
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    UniqueFd fd(::openat(parent.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd && !is_absent(errno)) {
        throw std::system_error(errno, std::generic_category(), "open manifest " + path);
    }
    return fd;
}

}  // namespace backupd::copy
