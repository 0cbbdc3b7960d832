#include "restore_plan.hpp"

#include <algorithm>
#include <cerrno>
#include <vector>

#include "directory.hpp"
#include "snapshot_lookup.hpp"

namespace backupd::copy::detail {
namespace {

using core::ErrorCode;

constexpr const char* kWhere = "in the restore target";

std::string parent_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

PlannedEntry planned_entry(std::string name, const struct stat& info) {
    return {std::move(name), info.st_mode, info.st_size, info.st_mtim, RestoreAction::create};
}

class Planner {
public:
    Planner(const Filesystem& fs, int snapshot) : fs_(fs), snapshot_(snapshot) {}

    void add(const std::string& path) {
        if (path.empty()) {
            add_tree("");
            return;
        }
        const SnapshotEntry entry = find_snapshot_entry(fs_, snapshot_, path);
        add_directory_above(parent_of(path));
        if (S_ISDIR(entry.info.st_mode)) {
            add_tree(path);
        } else if (S_ISREG(entry.info.st_mode) || S_ISLNK(entry.info.st_mode)) {
            plan_[parent_of(path)].entries.push_back(planned_entry(entry.name, entry.info));
        }
    }

    RestorePlan finish() {
        for (auto& [path, directory] : plan_) {
            auto& entries = directory.entries;
            std::sort(entries.begin(), entries.end(),
                      [](const auto& a, const auto& b) { return a.name < b.name; });
            // Overlapping requests ("sub" and "sub/a") name some entries twice.
            entries.erase(
                std::unique(entries.begin(), entries.end(),
                            [](const auto& a, const auto& b) { return a.name == b.name; }),
                entries.end());
        }
        return std::move(plan_);
    }

private:
    // `path` and the directories above it, each with its own snapshot metadata (restored only
    // if the restore creates it).
    void add_directory_above(const std::string& path) {
        if (plan_.count(path) != 0) return;
        if (!path.empty()) add_directory_above(parent_of(path));
        plan_[path].info = directory_info(path);
    }

    struct stat directory_info(const std::string& path) {
        const UniqueFd directory = open_snapshot_directory(fs_, snapshot_, path);
        struct stat info {};
        if (fs_.stat(directory.get(), "", info) != 0)
            throw_snapshot_error(ErrorCode::snapshot_unreadable, path, errno);
        return info;
    }

    // The directory `path` and everything beneath it. Depth-first with a stack of paths, so
    // only one directory is open at a time however deep the tree.
    void add_tree(const std::string& top) {
        add_directory_above(top);
        std::vector<std::string> pending{top};
        while (!pending.empty()) {
            const std::string path = std::move(pending.back());
            pending.pop_back();
            PlannedDirectory& directory = plan_[path];
            directory.restore_metadata = true;
            if (directory.walked) continue;
            directory.walked = true;
            walk_directory(path, directory, pending);
        }
    }

    void walk_directory(const std::string& path, PlannedDirectory& directory,
                        std::vector<std::string>& pending) {
        const UniqueFd listing = open_snapshot_directory(fs_, snapshot_, path);
        const int error = for_each_entry(listing.get(), [&](const dirent& entry) {
            struct stat info {};
            const std::string child = join_path(path, entry.d_name);
            if (fs_.stat(listing.get(), entry.d_name, info) != 0)
                throw_snapshot_error(ErrorCode::snapshot_unreadable, child, errno);
            if (S_ISDIR(info.st_mode)) {
                plan_[child].info = info;
                pending.push_back(child);
            } else if (S_ISREG(info.st_mode) || S_ISLNK(info.st_mode)) {
                directory.entries.push_back(planned_entry(entry.d_name, info));
            }
            return true;
        });
        if (error != 0) throw_snapshot_error(ErrorCode::snapshot_unreadable, path, error);
    }

    const Filesystem& fs_;
    const int snapshot_;
    RestorePlan plan_;  // std::map: references stay valid while it grows
};

// A file or link at the target just as this restore would write it (or an interrupted attempt
// of it left it): the same type, mode, size and mtime (links get their times too, and their
// size is their target's length).
bool as_restored(const PlannedEntry& entry, const struct stat& existing) {
    return existing.st_mode == entry.mode && existing.st_size == entry.size &&
           existing.st_mtim.tv_sec == entry.mtime.tv_sec &&
           existing.st_mtim.tv_nsec == entry.mtime.tv_nsec;
}

// if-changed compares regular files only: links are always replaced.
bool same_file(const PlannedEntry& entry, const struct stat& existing) {
    return S_ISREG(entry.mode) && as_restored(entry, existing);
}

// What a file or link meets at the target; nullopt for a conflict.
std::optional<RestoreAction> entry_action(const PlannedEntry& entry, const struct stat& existing,
                                          core::Overwrite overwrite, bool resume) {
    if (S_ISDIR(existing.st_mode)) return std::nullopt;
    switch (overwrite) {
        case core::Overwrite::never:
            if (resume && as_restored(entry, existing)) return RestoreAction::skip;
            return std::nullopt;
        case core::Overwrite::if_changed:
            return same_file(entry, existing) ? RestoreAction::skip : RestoreAction::replace;
        case core::Overwrite::always: return RestoreAction::replace;
    }
    return std::nullopt;
}

// What the directory `path` (not the top) meets at the target; nullopt for a conflict.
std::optional<RestoreAction> directory_action(const Filesystem& fs, int target,
                                              const std::string& path, core::Overwrite overwrite,
                                              const RestorePlan& plan) {
    // Its parent is new: so is everything in it.
    if (plan.at(parent_of(path)).action != RestoreAction::merge) return RestoreAction::create;
    // The parent is a real directory of the target (checked just before, in plan order), so
    // this stat passes through no symbolic link.
    struct stat existing {};
    if (fs.stat(target, path.c_str(), existing) != 0) {
        if (errno != ENOENT) throw_target_error("reading", path, kWhere);
        return RestoreAction::create;
    }
    if (S_ISDIR(existing.st_mode)) return RestoreAction::merge;
    if (overwrite == core::Overwrite::never) return std::nullopt;
    return RestoreAction::replace;
}

// Sets the action of each entry of a directory that exists at the target; returns the first
// conflicting path.
std::optional<std::string> check_entries(const Filesystem& fs, int target, const std::string& path,
                                         core::Overwrite overwrite, bool resume,
                                         PlannedDirectory& directory) {
    const UniqueFd existing_directory = open_directory(fs, target, path);
    if (!existing_directory) throw_target_error("opening", path, kWhere);
    for (auto& entry : directory.entries) {
        struct stat existing {};
        if (fs.stat(existing_directory.get(), entry.name.c_str(), existing) != 0) {
            if (errno != ENOENT) throw_target_error("reading", join_path(path, entry.name), kWhere);
            entry.action = RestoreAction::create;
            continue;
        }
        const auto action = entry_action(entry, existing, overwrite, resume);
        if (!action) return join_path(path, entry.name);
        entry.action = *action;
    }
    return std::nullopt;
}

}  // namespace

RestorePlan plan_restore(const Filesystem& fs, int snapshot,
                         const std::vector<std::string>& paths) {
    Planner planner(fs, snapshot);
    if (paths.empty()) planner.add("");
    for (const auto& path : paths) planner.add(path);
    return planner.finish();
}

std::optional<std::string> check_restore_target(const Filesystem& fs, int target,
                                                core::Overwrite overwrite, bool resume,
                                                RestorePlan& plan) {
    for (auto& [path, directory] : plan) {
        // The top is the target itself, which exists.
        const auto action = path.empty() ? RestoreAction::merge
                                         : directory_action(fs, target, path, overwrite, plan);
        if (!action) return path;
        directory.action = *action;
        if (directory.action == RestoreAction::merge) {
            if (auto conflict = check_entries(fs, target, path, overwrite, resume, directory))
                return conflict;
        } else {
            directory.restore_metadata = true;  // created by the restore
            for (auto& entry : directory.entries) entry.action = RestoreAction::create;
        }
    }
    return std::nullopt;
}

}  // namespace backupd::copy::detail
