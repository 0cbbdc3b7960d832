#include "directory.hpp"

namespace backupd::copy::detail {

UniqueFd open_directory(const Filesystem& fs, int root, const std::string& path) {
    if (path.empty()) return UniqueFd(::fcntl(root, F_DUPFD_CLOEXEC, 0));
    return UniqueFd(fs.open_directory(root, path.c_str()));
}

void throw_target_error(const char* what, const std::string& path, const char* where) {
    const int error = errno;
    throw std::system_error(error, std::generic_category(),
                            std::string(what) + " '" + (path.empty() ? "." : path) + "' " + where);
}

void apply_metadata(const Filesystem& fs, int directory, const char* name, const struct stat& info,
                    bool keep_owner, const std::string& path, const char* where) {
    if (keep_owner && fs.set_owner(directory, name, info.st_uid, info.st_gid) != 0)
        throw_target_error("setting the owner of", path, where);
    // Linux symbolic links have no mode of their own; the owner came first so that a set-id
    // bit it clears is set again here.
    if (!S_ISLNK(info.st_mode) && fs.set_mode(directory, name, info.st_mode & 07777) != 0)
        throw_target_error("setting the mode of", path, where);
    const timespec times[2] = {info.st_atim, info.st_mtim};
    if (fs.set_times(directory, name, times) != 0)
        throw_target_error("setting the times of", path, where);
}

}  // namespace backupd::copy::detail
