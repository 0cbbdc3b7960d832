#include "backupd/copy/backup_root_scan.hpp"

#include <cerrno>
#include <string>
#include <system_error>

#include "backupd/copy/unique_fd.hpp"
#include "directory.hpp"

namespace backupd::copy {
namespace {

// Calls `visit(name, is_directory)` for each entry of the directory `directory`.
// Only reads: the real system calls, never a test's file system.
template <typename Visit>
void list(int directory, Visit visit) {
    const int error = detail::for_each_entry(directory, [&](const dirent& entry) {
        bool is_directory = entry.d_type == DT_DIR;
        if (entry.d_type == DT_UNKNOWN) {
            struct stat info {};
            is_directory = system_filesystem().stat(directory, entry.d_name, info) == 0 &&
                           S_ISDIR(info.st_mode);
        }
        visit(std::string_view(entry.d_name), is_directory);
        return true;
    });
    if (error != 0)
        throw std::system_error(error, std::generic_category(), "listing the backup root");
}

UniqueFd open_child(int parent, std::string_view name) {
    return detail::open_directory(system_filesystem(), parent, std::string(name));
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
