#include "backupd/copy/backup_root_scan.hpp"

#include <cerrno>
#include <memory>
#include <system_error>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "backupd/copy/unique_fd.hpp"

namespace backupd::copy {
namespace {

// Calls `visit(name, is_directory)` for each entry of the directory `directory`.
template <typename Visit>
void list(int directory, Visit visit) {
    DIR* listing = ::fdopendir(::fcntl(directory, F_DUPFD_CLOEXEC, 0));
    if (listing == nullptr)
        throw std::system_error(errno, std::generic_category(), "listing the backup root");
    std::unique_ptr<DIR, int (*)(DIR*)> closer(listing, ::closedir);
    while (const dirent* entry = ::readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (name == "." || name == "..") continue;
        bool is_directory = entry->d_type == DT_DIR;
        if (entry->d_type == DT_UNKNOWN) {
            struct stat info {};
            is_directory = ::fstatat(directory, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0 &&
                           S_ISDIR(info.st_mode);
        }
        visit(name, is_directory);
    }
}

UniqueFd open_child(int parent, std::string_view name) {
    const std::string entry(name);
    return UniqueFd(
        ::openat(parent, entry.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

// A folder directory: snapshots (by name) and deeper folder directories. The first level of
// the root holds folder directories only (the first segment of a folder name is free).
void scan_folder_directory(int directory, const std::string& path, BackupRootContents& out) {
    list(directory, [&](std::string_view name, bool is_directory) {
        if (!is_directory) return;
        const std::string child = path.empty() ? std::string(name) : path + "/" + std::string(name);
        if (!path.empty()) {
            if (const auto snapshot = parse_snapshot_name(name)) {
                out.snapshots.push_back({child, *snapshot});
                return;
            }
        } else if (name == kStagingDirectory) {
            return;
        }
        if (UniqueFd sub = open_child(directory, name))
            scan_folder_directory(sub.get(), child, out);
    });
}

}  // namespace

BackupRootContents scan_backup_root(int root) {
    BackupRootContents out;
    if (UniqueFd staging = open_child(root, kStagingDirectory)) {
        list(staging.get(), [&](std::string_view name, bool) {
            if (const auto parsed = parse_staging_name(name))
                out.staging.push_back(
                    {std::string(kStagingDirectory) + "/" + std::string(name), *parsed});
        });
    }
    scan_folder_directory(root, "", out);
    return out;
}

}  // namespace backupd::copy
