#include "snapshot_lookup.hpp"

#include <cerrno>
#include <cstring>

#include "directory.hpp"

namespace backupd::copy::detail {
namespace {

// The subject of the public message: the path as the client gave it.
std::string subject_of(core::ErrorCode code, const std::string& path) {
    const std::string shown = path.empty() ? "." : path;
    // not_found's template is the bare subject.
    return code == core::ErrorCode::not_found ? "No such path in the snapshot: " + shown : shown;
}

// `path` could not be opened with `error`. openat2 says ELOOP for a link on the way, the
// O_NOFOLLOW walk ENOTDIR, and both say ENOTDIR for a file on the way: lstat each segment in
// turn to name the cause precisely. Only the segments before the failing one are passed
// through, and each of those was just seen to be a real directory.
[[noreturn]] void throw_lookup_error(const Filesystem& fs, int snapshot, const std::string& path,
                                     int error, bool want_directory) {
    using core::ErrorCode;
    for (std::size_t end = path.find('/');; end = path.find('/', end + 1)) {
        const std::string prefix = path.substr(0, end);
        const bool last = end == std::string::npos;
        struct stat info {};
        if (fs.stat(snapshot, prefix.c_str(), info) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                throw_snapshot_error(ErrorCode::not_found, path);
            throw_snapshot_error(ErrorCode::snapshot_unreadable, path, errno);
        }
        if (S_ISLNK(info.st_mode)) throw_snapshot_error(ErrorCode::symlink_in_path, path);
        if (!S_ISDIR(info.st_mode)) {
            throw_snapshot_error(
                last && want_directory ? ErrorCode::not_a_directory : ErrorCode::not_found, path);
        }
        if (last) break;
    }
    throw_snapshot_error(ErrorCode::snapshot_unreadable, path, error);
}

}  // namespace

void throw_snapshot_error(core::ErrorCode code, const std::string& path, int error) {
    std::string detail = std::string(core::to_string(code)) + ": '" + path + "' in the snapshot";
    if (error != 0) detail += std::string(" (") + std::strerror(error) + ")";
    throw core::Error(code, core::message_for(code, subject_of(code, path)), detail);
}

UniqueFd open_snapshot_directory(const Filesystem& fs, int snapshot, const std::string& path) {
    UniqueFd directory = open_directory(fs, snapshot, path);
    if (!directory) throw_lookup_error(fs, snapshot, path, errno, true);
    return directory;
}

SnapshotEntry find_snapshot_entry(const Filesystem& fs, int snapshot, const std::string& path) {
    const std::size_t slash = path.rfind('/');
    SnapshotEntry entry;
    entry.directory =
        open_directory(fs, snapshot, slash == std::string::npos ? "" : path.substr(0, slash));
    if (!entry.directory) throw_lookup_error(fs, snapshot, path, errno, false);
    entry.name = path.substr(slash + 1);  // npos + 1 == 0
    if (fs.stat(entry.directory.get(), entry.name.c_str(), entry.info) != 0) {
        if (errno == ENOENT) throw_snapshot_error(core::ErrorCode::not_found, path);
        throw_snapshot_error(core::ErrorCode::snapshot_unreadable, path, errno);
    }
    return entry;
}

std::string read_snapshot_link(const Filesystem& fs, int directory, const char* name,
                               std::size_t size_hint, const std::string& path) {
    std::string target(size_hint + 1, '\0');
    for (;;) {
        const ssize_t length = fs.read_link(directory, name, target.data(), target.size());
        if (length < 0) throw_snapshot_error(core::ErrorCode::snapshot_unreadable, path, errno);
        if (static_cast<std::size_t>(length) < target.size()) {
            target.resize(static_cast<std::size_t>(length));
            return target;
        }
        target.resize(target.size() * 2);  // the link grew since its lstat
    }
}

std::string join_path(const std::string& directory, std::string_view name) {
    return directory.empty() ? std::string(name) : directory + "/" + std::string(name);
}

}  // namespace backupd::copy::detail
