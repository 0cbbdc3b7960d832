#include "backupd/copy/copy_tree.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "backupd/copy/unique_fd.hpp"
#include "directory.hpp"
#include "file_contents.hpp"
#include "tree_entries.hpp"
#include "work_group.hpp"

namespace backupd::copy {
namespace {

using detail::DirectoryRecord;
using detail::FileBatch;
using detail::FileEntry;
using detail::open_directory;
using detail::throw_target_error;
using detail::WorkGroup;

// A batch closes at this many files or bytes, so big directories and big files spread over
// the threads.
constexpr std::size_t kBatchFiles = 128;
constexpr std::int64_t kBatchBytes = 32 << 20;

std::string join(const std::string& directory, std::string_view name) {
    return directory.empty() ? std::string(name) : directory + "/" + std::string(name);
}

bool same_content(const FileEntry& file, const struct stat& previous, bool keep_owner) {
    return S_ISREG(previous.st_mode) && previous.st_size == file.size &&
           previous.st_mode == file.mode && previous.st_mtim.tv_sec == file.mtime.tv_sec &&
           previous.st_mtim.tv_nsec == file.mtime.tv_nsec &&
           (!keep_owner || (previous.st_uid == file.uid && previous.st_gid == file.gid));
}

FileProblem::Kind kind_of(int error) {
    return error == ENOENT || error == ENOTDIR || error == ELOOP ? FileProblem::Kind::vanished
                                                                 : FileProblem::Kind::unreadable;
}

// One copy in progress: the shared state of the three phases.
class TreeCopy {
public:
    TreeCopy(const Filesystem& fs, int source, int target, int previous, const CopyOptions& options)
        : fs_(fs),
          source_(source),
          target_(target),
          previous_(previous),
          options_(options),
          keep_owner_(options.keep_owner.value_or(::geteuid() == 0)) {}

    CopyResult run() {
        DirectoryRecord top;
        if (fs_.stat(source_, "", top.info) != 0) throw_target_error("reading", "");
        directories_.push_back(top);
        {
            WorkGroup walk(options_.threads);
            walk.add([this, &walk] { scan_directory(walk, ""); });
            walk.run();
        }
        files_total_ = files_seen_.load();
        bytes_total_ = bytes_seen_.load();
        totals_known_ = true;
        report(true);
        const bool use_previous_manifest = previous_ >= 0 && options_.previous_manifest >= 0;
        if ((digests() || use_previous_manifest) && !halted()) {
            sorted_files_ =
                detail::files_in_manifest_order(batches_, static_cast<std::size_t>(files_total_));
        }
        if (use_previous_manifest && !halted()) {
            judge_by_manifest_ =
                detail::mark_unchanged(options_.previous_manifest, sorted_files_, keep_owner_);
        }
        if (!halted()) {
            WorkGroup copy(options_.threads);
            for (auto& batch : batches_) copy.add([this, &batch] { copy_batch(batch); });
            copy.run();
        }
        if (!halted()) apply_directory_metadata();
        report(true);

        CopyResult result;
        result.progress = progress();
        if (problem_) {
            result.status = CopyStatus::aborted;
            result.problem = problem_;
        } else if (options_.stop.stop_requested()) {
            result.status = CopyStatus::stopped;
        } else if (digests()) {
            result.manifest = detail::write_tree_manifest(options_.manifest, fs_, directories_,
                                                          sorted_files_, links_);
        }
        return result;
    }

private:
    bool halted() const { return aborted_.load() || options_.stop.stop_requested(); }
    bool digests() const { return options_.manifest >= 0; }

    // The error policy's answer; remembers the first aborting problem.
    bool keep_going_after(FileProblem problem) {
        const bool vanished_file =
            problem.kind == FileProblem::Kind::vanished && !problem.directory;
        const ProblemDecision decision = options_.on_problem ? options_.on_problem(problem)
                                         : vanished_file     ? ProblemDecision::skip
                                                             : ProblemDecision::abort;
        if (decision == ProblemDecision::skip) {
            ++files_failed_;
            return true;
        }
        std::lock_guard lock(mutex_);
        if (!problem_) problem_ = std::move(problem);
        aborted_ = true;
        return false;
    }

    // Phase 1: reads one directory, creates its subdirectories and symbolic links in the
    // target, queues its subdirectories and batches its files.
    void scan_directory(WorkGroup& walk, const std::string& path) {
        if (halted()) return;
        const UniqueFd source = open_directory(fs_, source_, path);
        if (!source) {
            keep_going_after({kind_of(errno), path, errno, true});
            return;
        }
        const UniqueFd target = open_directory(fs_, target_, path);
        if (!target) throw_target_error("opening", path);

        FileBatch batch{path, {}};
        std::int64_t batch_bytes = 0;
        bool keep_going = true;
        const int error = detail::for_each_entry(source.get(), [&](const dirent& entry) {
            if (halted()) return keep_going = false;
            struct stat info {};
            if (fs_.stat(source.get(), entry.d_name, info) != 0)
                return keep_going = keep_going_after({kind_of(errno), join(path, entry.d_name),
                                                      errno, entry.d_type == DT_DIR});
            if (S_ISDIR(info.st_mode)) {
                copy_directory(walk, target.get(), join(path, entry.d_name), entry.d_name, info);
            } else if (S_ISREG(info.st_mode)) {
                ++files_seen_;
                bytes_seen_ += info.st_size;
                batch.files.push_back({entry.d_name, info.st_size, info.st_mode, info.st_uid,
                                       info.st_gid, info.st_mtim});
                batch_bytes += info.st_size;
                if (batch.files.size() >= kBatchFiles || batch_bytes >= kBatchBytes) {
                    queue_batch(std::exchange(batch, FileBatch{path, {}}));
                    batch_bytes = 0;
                }
            } else if (S_ISLNK(info.st_mode)) {
                return keep_going =
                           copy_symlink(source.get(), target.get(), path, entry.d_name, info);
            } else {
                ++files_skipped_;
            }
            return true;
        });
        if (!keep_going) return;
        if (error != 0) keep_going_after({FileProblem::Kind::unreadable, path, error});
        if (!batch.files.empty()) queue_batch(std::move(batch));
    }

    // Creates a subdirectory in the target (its mode and times come in phase 3) and queues its
    // walk.
    void copy_directory(WorkGroup& walk, int target, std::string child, const char* name,
                        const struct stat& info) {
        if (fs_.make_directory(target, name, 0700) != 0) throw_target_error("creating", child);
        {
            std::lock_guard lock(mutex_);
            directories_.push_back({child, info});
        }
        walk.add([this, &walk, child = std::move(child)] { scan_directory(walk, child); });
    }

    void queue_batch(FileBatch batch) {
        std::lock_guard lock(mutex_);
        batches_.push_back(std::move(batch));
    }

    bool copy_symlink(int source, int target, const std::string& directory, const char* name,
                      const struct stat& info) {
        std::string destination(static_cast<std::size_t>(info.st_size) + 1, '\0');
        for (;;) {
            const ssize_t length =
                fs_.read_link(source, name, destination.data(), destination.size());
            if (length < 0) return keep_going_after({kind_of(errno), join(directory, name), errno});
            if (static_cast<std::size_t>(length) < destination.size()) {
                destination.resize(static_cast<std::size_t>(length));
                break;
            }
            destination.resize(destination.size() * 2);  // the link grew since the stat
        }
        const std::string path = join(directory, name);
        if (fs_.make_symlink(destination.c_str(), target, name) != 0)
            throw_target_error("creating the link", path);
        detail::apply_metadata(fs_, target, name, info, keep_owner_, path);
        if (digests()) {
            ManifestEntry entry = detail::entry_from_stat(info);
            entry.path = path;
            entry.size = static_cast<std::int64_t>(destination.size());
            entry.target = std::move(destination);
            std::lock_guard lock(mutex_);
            links_.push_back(std::move(entry));
        }
        return true;
    }

    // Phase 2: links or copies one batch of files of one directory.
    void copy_batch(FileBatch& batch) {
        if (halted()) return;
        const UniqueFd source = open_directory(fs_, source_, batch.directory);
        if (!source) {
            const int error = errno;
            for (const auto& file : batch.files) {
                if (!keep_going_after(
                        {kind_of(error), join(batch.directory, file.name), error, true}))
                    return;
            }
            return;
        }
        const UniqueFd target = open_directory(fs_, target_, batch.directory);
        if (!target) throw_target_error("opening", batch.directory);
        // No previous copy of this directory: every file is copied.
        const UniqueFd previous =
            previous_ >= 0 ? open_directory(fs_, previous_, batch.directory) : UniqueFd();
        for (auto& file : batch.files) {
            if (halted()) return;
            if (previous && link_unchanged(previous.get(), target.get(), batch.directory, file))
                continue;
            if (!copy_file(source.get(), target.get(), batch.directory, file)) return;
            report(false);
        }
        report(false);
    }

    // Links `file` to its previous copy when unchanged: judged by the previous manifest (no
    // stat, and the digest comes with it) or, without one, by a stat of the previous copy
    // (which is then read to digest it, if a manifest is written).
    bool link_unchanged(int previous, int target, const std::string& directory, FileEntry& file) {
        if (judge_by_manifest_) {
            if (!file.unchanged) return false;
        } else {
            struct stat info {};
            if (fs_.stat(previous, file.name.c_str(), info) != 0 ||
                !same_content(file, info, keep_owner_)) {
                return false;
            }
        }
        // EMLINK (too many links to one inode) and the like: copy instead.
        if (fs_.make_link(previous, file.name.c_str(), target, file.name.c_str()) != 0)
            return false;
        if (digests() && !judge_by_manifest_) digest_linked(target, directory, file);
        file.fate = FileEntry::Fate::linked;
        ++files_linked_;
        return true;
    }

    // Reads a linked file of the new snapshot to record its digest; it is the backup root's.
    void digest_linked(int target, const std::string& directory, FileEntry& file) {
        const std::string path = join(directory, file.name);
        const UniqueFd in(
            fs_.open(target, file.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0));
        if (!in) throw_target_error("reading", path);
        detail::ContentDigest digest;
        const auto read = detail::hash_contents(fs_, in.get(), {}, {}, digest);
        if (read.status != detail::ContentsResult::Status::done) {
            errno = read.error_number;
            throw_target_error("reading", path);
        }
        file.digest = digest.finish();
    }

    // Copies one file; false when the error policy said abort.
    bool copy_file(int source, int target, const std::string& directory, FileEntry& file) {
        const std::string path = join(directory, file.name);
        // O_NONBLOCK: a FIFO swapped in since the walk must not block the open (it is then
        // refused below as no longer a regular file); reads of regular files ignore it.
        const UniqueFd in(
            fs_.open(source, file.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0));
        struct stat info {};
        if (!in || fs_.stat(in.get(), "", info) != 0)
            return keep_going_after({kind_of(errno), path, errno});
        if (!S_ISREG(info.st_mode)) {
            // Replaced by something else since the walk: a regular file is gone.
            return keep_going_after({FileProblem::Kind::vanished, path, ENOENT});
        }
        UniqueFd out(
            fs_.open(target, file.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (!out) throw_target_error("creating", path);
        detail::ContentsResult copied;
        detail::ContentDigest digest;
        try {
            copied = detail::copy_contents(
                fs_, in.get(), out.get(), info.st_size, options_.stop,
                [this](std::int64_t bytes) {
                    bytes_copied_ += bytes;
                    report(false);
                },
                digests() ? &digest : nullptr);
            if (copied.status == detail::ContentsResult::Status::done)
                detail::apply_metadata(fs_, out.get(), "", info, keep_owner_, path);
        } catch (const std::system_error&) {
            // The backup root failed mid-file: no half-written file stays behind.
            out.reset();
            fs_.remove(target, file.name.c_str(), 0);
            throw;
        }
        if (copied.status != detail::ContentsResult::Status::done) {
            out.reset();
            fs_.remove(target, file.name.c_str(), 0);
            if (copied.status == detail::ContentsResult::Status::stopped) return false;
            return keep_going_after({FileProblem::Kind::unreadable, path, copied.error_number});
        }
        // What the snapshot holds, for its manifest: the stat applied and the bytes copied.
        file.size = copied.bytes;
        file.mode = info.st_mode;
        file.uid = info.st_uid;
        file.gid = info.st_gid;
        file.mtime = info.st_mtim;
        if (digests()) file.digest = digest.finish();
        file.fate = FileEntry::Fate::copied;
        ++files_copied_;
        return true;
    }

    // Phase 3: directory modes and times, deepest first, so writing into a directory never
    // changes its time again and a read-only directory is filled before it is closed.
    void apply_directory_metadata() {
        std::sort(directories_.begin(), directories_.end(), [](const auto& a, const auto& b) {
            return std::count(a.path.begin(), a.path.end(), '/') + !a.path.empty() >
                   std::count(b.path.begin(), b.path.end(), '/') + !b.path.empty();
        });
        for (const auto& directory : directories_) {
            detail::apply_metadata(fs_, target_, directory.path.c_str(), directory.info,
                                   keep_owner_, directory.path);
        }
    }

    CopyProgress progress() const {
        CopyProgress now;
        now.files_copied = files_copied_;
        now.files_linked = files_linked_;
        now.bytes_copied = bytes_copied_;
        now.files_skipped = files_skipped_;
        now.files_failed = files_failed_;
        if (totals_known_) {
            now.files_total = files_total_;
            now.bytes_total = bytes_total_;
        }
        return now;
    }

    // Calls on_progress at most once per interval (any thread), or now when `force`d.
    void report(bool force) {
        if (!options_.on_progress) return;
        const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
        auto last = last_report_.load();
        const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  options_.progress_interval)
                                  .count();
        if (!force && (now - last < interval || !last_report_.compare_exchange_strong(last, now)))
            return;
        if (force) last_report_ = now;
        options_.on_progress(progress());
    }

    const Filesystem& fs_;
    const int source_;
    const int target_;
    const int previous_;
    const CopyOptions& options_;
    const bool keep_owner_;

    bool judge_by_manifest_ = false;  // set before the copy phase

    std::mutex mutex_;  // guards directories_, batches_, links_, problem_
    std::vector<DirectoryRecord> directories_;
    std::vector<ManifestEntry> links_;           // symbolic links, kept only for the manifest
    std::vector<detail::FileRef> sorted_files_;  // after the walk, when a manifest is involved
    std::deque<FileBatch> batches_;              // a deque keeps references stable while tasks run
    std::optional<FileProblem> problem_;
    std::atomic<bool> aborted_{false};

    std::atomic<std::int64_t> files_seen_{0}, bytes_seen_{0};
    std::atomic<std::int64_t> files_copied_{0}, files_linked_{0}, bytes_copied_{0};
    std::atomic<std::int64_t> files_skipped_{0}, files_failed_{0};
    std::int64_t files_total_ = 0, bytes_total_ = 0;
    std::atomic<bool> totals_known_{false};
    std::atomic<std::chrono::steady_clock::rep> last_report_{0};
};

}  // namespace

std::string describe(const FileProblem& problem) {
    const char* what = problem.kind == FileProblem::Kind::vanished ? "vanished during the backup"
                                                                   : "could not be read";
    return (problem.path.empty() ? std::string(".") : problem.path) + ": " + what + " (" +
           std::strerror(problem.error_number) + ")";
}

CopyResult copy_tree(int source, int target, int previous, const CopyOptions& options,
                     const Filesystem& filesystem) {
    return TreeCopy(filesystem, source, target, previous, options).run();
}

}  // namespace backupd::copy
