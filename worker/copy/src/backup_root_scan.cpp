#include "backupd/copy/backup_root_scan.hpp"

#include <cerrno>
#include <optional>
#include <set>
#include <string>
#include <system_error>

#include "backupd/copy/manifest.hpp"
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

// The name a manifest file "<name>.manifest" belongs to, if it is one.
std::optional<std::string_view> manifest_owner(std::string_view file) {
    if (file.size() <= kManifestSuffix.size() || !file.ends_with(kManifestSuffix))
        return std::nullopt;
    return file.substr(0, file.size() - kManifestSuffix.size());
}

UniqueFd open_child(int parent, std::string_view name) {
    return detail::open_directory(system_filesystem(), parent, std::string(name));
}

// A folder directory: snapshots (by name) and deeper folder directories. The first level of
// the root holds folder directories only (the first segment of a folder name is free).
void scan_folder_directory(int directory, const std::string& path, BackupRootContents& out) {
    std::set<std::string> directories;
    std::vector<std::pair<std::string, SnapshotName>> manifests;
    list(directory, [&](std::string_view name, bool is_directory) {
        const std::string child = path.empty() ? std::string(name) : path + "/" + std::string(name);
        if (!is_directory) {
            const auto owner = manifest_owner(name);
            if (owner && !path.empty()) {
                if (const auto snapshot = parse_snapshot_name(*owner))
                    manifests.emplace_back(std::string(*owner), *snapshot);
            }
            return;
        }
        directories.emplace(name);
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
    for (auto& [name, snapshot] : manifests) {
        if (directories.contains(name)) continue;
        std::string snapshot_path = path;
        snapshot_path.append("/").append(name);
        out.lone_manifests.push_back({std::move(snapshot_path), snapshot});
    }
}

}  // namespace

BackupRootContents scan_backup_root(int root) {
    BackupRootContents out;
    if (UniqueFd staging = open_child(root, kStagingDirectory)) {
        std::set<std::string> found;
        std::vector<std::pair<std::string, StagingName>> manifests;
        list(staging.get(), [&](std::string_view name, bool is_directory) {
            const auto owner = is_directory ? std::nullopt : manifest_owner(name);
            if (const auto parsed = parse_staging_name(owner ? *owner : name)) {
                if (owner) {
                    manifests.emplace_back(std::string(*owner), *parsed);
                } else {
                    found.emplace(name);
                    out.staging.push_back(
                        {std::string(kStagingDirectory) + "/" + std::string(name), *parsed});
                }
            }
        });
        for (auto& [name, parsed] : manifests) {
            if (!found.contains(name))
                out.staging.push_back({std::string(kStagingDirectory) + "/" + name, parsed});
        }
    }
    scan_folder_directory(root, "", out);
    return out;
}

}  // namespace backupd::copy
