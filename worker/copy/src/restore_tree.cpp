#include "backupd/copy/restore_tree.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "directory.hpp"
#include "file_contents.hpp"
#include "restore_plan.hpp"
#include "snapshot_lookup.hpp"

namespace backupd::copy {
namespace {

using detail::join_path;
using detail::PlannedDirectory;
using detail::PlannedEntry;
using detail::RestoreAction;
using detail::throw_snapshot_error;

constexpr const char* kWhere = "in the restore target";
constexpr std::string_view kTemporaryPrefix = ".backupd-restore-";

// Names of temporary files: unique in this process, and an EEXIST (a leftover of a crashed
// run with the same pid) just takes the next one.
std::string next_temporary_name() {
    static std::atomic<std::uint64_t> counter{0};
    return std::string(kTemporaryPrefix) + std::to_string(::getpid()) + "-" +
           std::to_string(counter++);
}

// Renames wait in batches of at most this many entries or bytes for one syncfs.
constexpr std::size_t kBatchEntries = 1024;
constexpr std::int64_t kBatchBytes = std::int64_t{256} << 20;

std::size_t depth(const std::string& path) {
    return path.empty() ? 0
                        : 1 + static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
}

// One restore in progress. Single-threaded: a restore is bounded by the target disk, and one
// thread keeps the order of writes (parents first, metadata last) simple.
class TreeRestore {
public:
    TreeRestore(const Filesystem& fs, int snapshot, int target, const RestoreOptions& options)
        : fs_(fs),
          snapshot_(snapshot),
          target_(target),
          options_(options),
          keep_owner_(options.keep_owner.value_or(::geteuid() == 0)) {}

    RestoreResult run(const std::vector<std::string>& paths) {
        RestoreResult result;
        detail::RestorePlan plan = detail::plan_restore(fs_, snapshot_, paths);
        if (auto conflict = detail::check_restore_target(fs_, target_, options_.overwrite,
                                                         options_.resume, plan)) {
            result.status = RestoreStatus::conflict;
            result.conflict = std::move(conflict);
            return result;
        }
        count_totals(plan);
        report(true);
        try {
            for (const auto& [path, directory] : plan) {
                if (!restore_directory(path, directory)) break;
            }
            // Stopped or done, what was written whole takes its final name.
            settle_pending();
        } catch (...) {
            discard_pending();
            throw;
        }
        if (!stopped()) {
            apply_directory_metadata(plan);
            // The job reports success only once the renames and directory metadata are on disk
            // too: one syncfs, like a snapshot's commit, instead of an fsync per entry.
            if (fs_.sync_filesystem(target_) != 0)
                detail::throw_target_error("flushing", "", kWhere);
        }
        report(true);
        result.progress = progress_;
        if (stopped()) result.status = RestoreStatus::stopped;
        return result;
    }

private:
    bool stopped() const { return options_.stop.stop_requested(); }

    void count_totals(const detail::RestorePlan& plan) {
        std::int64_t files = 0, bytes = 0;
        for (const auto& [path, directory] : plan) {
            for (const auto& entry : directory.entries) {
                if (!S_ISREG(entry.mode)) continue;
                ++files;
                bytes += entry.size;
            }
        }
        progress_.files_total = files;
        progress_.bytes_total = bytes;
    }

    // Deletes the temporary files an interrupted attempt left in the target directory `fd`
    // (a crash gives it no chance to): only names with the restore's own prefix.
    void remove_leftovers(int fd, const std::string& path) const {
        std::vector<std::string> leftovers;
        const int error = detail::for_each_entry(fd, [&](const dirent& entry) {
            if (std::string_view(entry.d_name).starts_with(kTemporaryPrefix))
                leftovers.emplace_back(entry.d_name);
            return true;
        });
        if (error != 0) detail::throw_target_error("reading", path, kWhere);
        for (const auto& name : leftovers) {
            if (fs_.remove(fd, name.c_str(), 0) != 0 && errno != ENOENT)
                detail::throw_target_error("removing", join_path(path, name), kWhere);
        }
    }

    // Creates the directory if needed, then writes its files and links; false once stopped.
    bool restore_directory(const std::string& path, const PlannedDirectory& directory) {
        if (stopped()) return false;
        if (directory.action != RestoreAction::merge) make_directory(path, directory.action);
        const auto writes =
            std::count_if(directory.entries.begin(), directory.entries.end(),
                          [](const auto& e) { return e.action != RestoreAction::skip; });
        // Entries left alone: equal under if-changed, or already restored when resuming.
        progress_.files_skipped += static_cast<std::int64_t>(directory.entries.size()) - writes;
        if (writes == 0) return true;
        const UniqueFd in = detail::open_snapshot_directory(fs_, snapshot_, path);
        const auto out =
            std::make_shared<const UniqueFd>(detail::open_directory(fs_, target_, path));
        if (!*out) detail::throw_target_error("opening", path, kWhere);
        if (options_.resume && directory.action == RestoreAction::merge) {
            remove_leftovers(out->get(), path);
        }
        for (const auto& entry : directory.entries) {
            if (entry.action == RestoreAction::skip) continue;
            if (stopped()) return false;
            const std::string entry_path = join_path(path, entry.name);
            if (S_ISREG(entry.mode)) {
                if (!restore_file(in.get(), out, entry, entry_path)) return false;
            } else {
                restore_link(in.get(), out, entry, entry_path);
            }
        }
        return true;
    }

    // Creates (or, for `replace`, first removes the non-directory at) the directory `path`,
    // mode 0700 until its metadata is applied at the end.
    void make_directory(const std::string& path, RestoreAction action) {
        const std::size_t slash = path.rfind('/');
        const std::string name = path.substr(slash + 1);
        const UniqueFd parent = detail::open_directory(
            fs_, target_, slash == std::string::npos ? std::string() : path.substr(0, slash));
        if (!parent) detail::throw_target_error("opening", path, kWhere);
        if (action == RestoreAction::replace && fs_.remove(parent.get(), name.c_str(), 0) != 0)
            detail::throw_target_error("replacing", path, kWhere);
        if (fs_.make_directory(parent.get(), name.c_str(), 0700) != 0)
            detail::throw_target_error("creating", path, kWhere);
    }

    // Writes one file under a temporary name and gives it its metadata; its rename waits in the
    // batch. False when stopped. The temporary file never outlives a failure or a stop.
    bool restore_file(int in_directory, const std::shared_ptr<const UniqueFd>& out_directory,
                      const PlannedEntry& entry, const std::string& path) {
        // O_NONBLOCK: should anything but a regular file stand there, opening it cannot hang.
        const UniqueFd in(fs_.open(in_directory, entry.name.c_str(),
                                   O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0));
        struct stat info {};
        if (!in || fs_.stat(in.get(), "", info) != 0)
            throw_snapshot_error(core::ErrorCode::snapshot_unreadable, path, errno);
        if (!S_ISREG(info.st_mode))  // a snapshot never changes: it has been tampered with
            throw_snapshot_error(core::ErrorCode::snapshot_unreadable, path);

        std::string temporary;
        UniqueFd out = create_temporary(out_directory->get(), path, temporary);
        detail::ContentsResult copied;
        try {
            copied = detail::copy_contents(fs_, in.get(), out.get(), info.st_size, options_.stop,
                                           [this](std::int64_t bytes) {
                                               progress_.bytes_copied += bytes;
                                               report(false);
                                           });
            if (copied.status == detail::ContentsResult::Status::read_failed)
                throw_snapshot_error(core::ErrorCode::snapshot_unreadable, path,
                                     copied.error_number);
            if (copied.status == detail::ContentsResult::Status::done) {
                detail::apply_metadata(fs_, out.get(), "", info, keep_owner_, path, kWhere);
            }
        } catch (...) {
            out.reset();
            fs_.remove(out_directory->get(), temporary.c_str(), 0);
            throw;
        }
        if (copied.status == detail::ContentsResult::Status::stopped) {
            out.reset();
            fs_.remove(out_directory->get(), temporary.c_str(), 0);
            return false;
        }
        defer_rename({out_directory, std::move(temporary), entry.name, path}, info.st_size);
        ++progress_.files_copied;
        report(false);
        return true;
    }

    UniqueFd create_temporary(int directory, const std::string& path, std::string& name) {
        for (;;) {
            name = next_temporary_name();
            UniqueFd out(fs_.open(directory, name.c_str(),
                                  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
            if (out) return out;
            if (errno != EEXIST) detail::throw_target_error("creating", path, kWhere);
        }
    }

    // Recreates one symbolic link (as a link, never followed) the same way.
    void restore_link(int in_directory, const std::shared_ptr<const UniqueFd>& out_directory,
                      const PlannedEntry& entry, const std::string& path) {
        struct stat info {};
        if (fs_.stat(in_directory, entry.name.c_str(), info) != 0)
            throw_snapshot_error(core::ErrorCode::snapshot_unreadable, path, errno);
        if (!S_ISLNK(info.st_mode))
            throw_snapshot_error(core::ErrorCode::snapshot_unreadable, path);
        const std::string destination = detail::read_snapshot_link(
            fs_, in_directory, entry.name.c_str(), static_cast<std::size_t>(info.st_size), path);
        std::string temporary;
        for (;;) {
            temporary = next_temporary_name();
            if (fs_.make_symlink(destination.c_str(), out_directory->get(), temporary.c_str()) == 0)
                break;
            if (errno != EEXIST) detail::throw_target_error("creating the link", path, kWhere);
        }
        try {
            detail::apply_metadata(fs_, out_directory->get(), temporary.c_str(), info, keep_owner_,
                                   path, kWhere);
        } catch (...) {
            fs_.remove(out_directory->get(), temporary.c_str(), 0);
            throw;
        }
        defer_rename({out_directory, std::move(temporary), entry.name, path}, 0);
    }

    // A written temporary file or link waiting for its rename. Renames wait until what they
    // name is on disk (one syncfs per batch), so neither a crash nor a power cut ever leaves a
    // final name on data that was not written, and a resumed restore can trust what it finds.
    struct PendingRename {
        std::shared_ptr<const UniqueFd> directory;
        std::string temporary;
        std::string name;
        std::string path;
    };

    void defer_rename(PendingRename rename, std::int64_t bytes) {
        pending_.push_back(std::move(rename));
        pending_bytes_ += bytes;
        if (pending_.size() >= kBatchEntries || pending_bytes_ >= kBatchBytes) settle_pending();
    }

    // Flushes the batch, then renames each entry into place.
    void settle_pending() {
        if (pending_.empty()) return;
        if (fs_.sync_filesystem(target_) != 0) detail::throw_target_error("flushing", "", kWhere);
        for (auto& rename : pending_) {
            rename_into_place(rename.directory->get(), rename.temporary, rename.name, rename.path);
            rename.temporary.clear();  // in place: nothing to discard
        }
        pending_.clear();
        pending_bytes_ = 0;
    }

    // After a failure: deletes the temporary entries still waiting.
    void discard_pending() noexcept {
        for (const auto& rename : pending_) {
            if (!rename.temporary.empty())
                fs_.remove(rename.directory->get(), rename.temporary.c_str(), 0);
        }
        pending_.clear();
        pending_bytes_ = 0;
    }

    // Replaces whatever non-directory stands under `name`, as the plan allowed. Under overwrite
    // never, something that appeared there since the check is not replaced: the restore fails
    // with EEXIST instead (RENAME_NOREPLACE, where the file system has it).
    void rename_into_place(int directory, const std::string& temporary, const std::string& name,
                           const std::string& path) {
        const unsigned flags = options_.overwrite == core::Overwrite::never ? RENAME_NOREPLACE : 0;
        int renamed = fs_.rename(directory, temporary.c_str(), directory, name.c_str(), flags);
        if (renamed != 0 && errno == EINVAL && flags != 0)
            renamed = fs_.rename(directory, temporary.c_str(), directory, name.c_str(), 0);
        if (renamed != 0) detail::throw_target_error("renaming into place", path, kWhere);
    }

    // Directory modes and times, deepest first, so writing into a directory never changes its
    // time again and a read-only directory is filled before it is closed.
    void apply_directory_metadata(const detail::RestorePlan& plan) {
        std::vector<const detail::RestorePlan::value_type*> directories;
        for (const auto& item : plan) {
            if (item.second.restore_metadata) directories.push_back(&item);
        }
        std::stable_sort(directories.begin(), directories.end(), [](const auto* a, const auto* b) {
            return depth(a->first) > depth(b->first);
        });
        for (const auto* item : directories) {
            const UniqueFd directory = detail::open_directory(fs_, target_, item->first);
            if (!directory) detail::throw_target_error("opening", item->first, kWhere);
            detail::apply_metadata(fs_, directory.get(), "", item->second.info, keep_owner_,
                                   item->first, kWhere);
        }
    }

    // Calls on_progress at most once per interval, or now when `force`d.
    void report(bool force) {
        if (!options_.on_progress) return;
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - last_report_ < options_.progress_interval) return;
        last_report_ = now;
        options_.on_progress(progress_);
    }

    const Filesystem& fs_;
    const int snapshot_;
    const int target_;
    const RestoreOptions& options_;
    const bool keep_owner_;
    CopyProgress progress_;
    std::chrono::steady_clock::time_point last_report_{};
    std::vector<PendingRename> pending_;
    std::int64_t pending_bytes_ = 0;
};

}  // namespace

RestoreResult restore_tree(int snapshot, const std::vector<std::string>& paths, int target,
                           const RestoreOptions& options, const Filesystem& filesystem) {
    return TreeRestore(filesystem, snapshot, target, options).run(paths);
}

}  // namespace backupd::copy
