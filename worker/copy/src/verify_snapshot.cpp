#include "backupd/copy/verify_snapshot.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "backupd/copy/manifest.hpp"
#include "backupd/copy/unique_fd.hpp"
#include "content_digest.hpp"
#include "directory.hpp"
#include "file_contents.hpp"
#include "manifest_order.hpp"

namespace backupd::copy {
namespace {

struct Stopped {};  // unwinds read_manifest when the stop token is requested

[[noreturn]] void fail(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

// A directory of the snapshot on the path being walked, with its names still to be matched.
struct Frame {
    std::string path;
    UniqueFd fd;
    std::vector<std::string> names;  // sorted by bytes, as the manifest orders siblings
    std::size_t next = 0;
};

// A regular file whose size and mode matched, to be re-read and hashed.
struct HashTask {
    std::string path;
    UniqueFd fd;
    detail::Digest expected{};
    std::int64_t size = 0;
};

class Verifier {
public:
    Verifier(int snapshot, const VerifyOptions& options, const Filesystem& fs,
             core::Progress totals)
        : snapshot_(snapshot), options_(options), fs_(fs), progress_(totals) {
        const unsigned threads = std::max(1u, options.threads);
        for (unsigned i = 0; i < threads; ++i) hashers_.emplace_back([this] { hash_files(); });
    }

    ~Verifier() { stop_hashers(); }

    void check(ManifestEntry&& entry) {
        if (options_.stop.stop_requested() || failed_.load()) throw Stopped{};
        if (entry.path.empty()) {
            check_top(entry);
            return;
        }
        const std::string_view path = entry.path;
        const std::size_t slash = path.rfind('/');
        const std::string_view parent =
            slash == std::string_view::npos ? "" : path.substr(0, slash);
        const std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
        while (!frames_.empty() && !is_within(path, frames_.back().path)) leave_frame();
        if (frames_.empty() || frames_.back().path != parent) {
            count(&core::VerifyReport::missing, entry.path);  // its directory is not there
            return;
        }
        Frame& frame = frames_.back();
        while (frame.next < frame.names.size() && frame.names[frame.next] < name)
            count(&core::VerifyReport::extra, join(frame.path, frame.names[frame.next++]));
        if (frame.next == frame.names.size() || frame.names[frame.next] != name) {
            count(&core::VerifyReport::missing, entry.path);
            return;
        }
        ++frame.next;
        check_found(frame.fd.get(), std::string(name), std::move(entry));
    }

    // Reports what no entry named, waits for the hashes; returns the report.
    core::VerifyReport finish() {
        while (!frames_.empty()) leave_frame();
        stop_hashers();
        if (failure_) std::rethrow_exception(failure_);
        if (options_.stop.stop_requested()) throw Stopped{};
        report(true);
        std::sort(report_.paths.begin(), report_.paths.end(),
                  [](const auto& a, const auto& b) { return manifest_before(a, b); });
        return report_;
    }

private:
    static bool is_within(std::string_view path, std::string_view directory) {
        return directory.empty() || (path.size() > directory.size() &&
                                     path.starts_with(directory) && path[directory.size()] == '/');
    }

    static std::string join(std::string_view directory, std::string_view name) {
        return detail::JoinedPath{directory, name}.str();
    }

    void count(std::int64_t core::VerifyReport::*counter, std::string path) {
        std::lock_guard lock(mutex_);
        ++(report_.*counter);
        if (counter != &core::VerifyReport::checked &&
            report_.paths.size() < core::VerifyReport::kMaxReportedPaths) {
            report_.paths.push_back(std::move(path));
        }
    }

    void check_top(const ManifestEntry& entry) {
        struct stat info {};
        if (fs_.stat(snapshot_, "", info) != 0) fail(errno, "reading the snapshot directory");
        if (entry.type != core::EntryType::dir || (info.st_mode & 07777) != entry.mode) {
            count(&core::VerifyReport::mismatched, ".");
        } else {
            count(&core::VerifyReport::checked, {});
        }
        enter(std::string(), detail::open_directory(fs_, snapshot_, ""));
    }

    void enter(std::string path, UniqueFd fd) {
        if (!fd) fail(errno, "opening '" + path + "' in the snapshot");
        Frame frame{std::move(path), std::move(fd), {}, 0};
        const int error = detail::for_each_entry(frame.fd.get(), [&](const dirent& entry) {
            frame.names.emplace_back(entry.d_name);
            return true;
        });
        if (error != 0) fail(error, "listing '" + frame.path + "' in the snapshot");
        std::sort(frame.names.begin(), frame.names.end());
        frames_.push_back(std::move(frame));
    }

    void leave_frame() {
        Frame& frame = frames_.back();
        for (; frame.next < frame.names.size(); ++frame.next)
            count(&core::VerifyReport::extra, join(frame.path, frame.names[frame.next]));
        frames_.pop_back();
    }

    void check_found(int directory, const std::string& name, ManifestEntry&& entry) {
        struct stat info {};
        if (fs_.stat(directory, name.c_str(), info) != 0) {
            if (errno == ENOENT) return count(&core::VerifyReport::missing, entry.path);
            fail(errno, "reading '" + entry.path + "' in the snapshot");
        }
        const bool same_type = entry_type_of(info.st_mode) == entry.type;
        const bool same_mode = S_ISLNK(info.st_mode) || (info.st_mode & 07777) == entry.mode;
        if (!same_type || !same_mode) return count(&core::VerifyReport::mismatched, entry.path);
        switch (entry.type) {
            case core::EntryType::dir:
                count(&core::VerifyReport::checked, {});
                enter(entry.path,
                      UniqueFd(fs_.open(directory, name.c_str(),
                                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0)));
                return;
            case core::EntryType::symlink: return check_link(directory, name, entry);
            case core::EntryType::file: return check_file(directory, name, info, std::move(entry));
            case core::EntryType::other: return count(&core::VerifyReport::checked, {});
        }
    }

    void check_link(int directory, const std::string& name, const ManifestEntry& entry) {
        std::string target(entry.target.size() + 1, '\0');
        const ssize_t length = fs_.read_link(directory, name.c_str(), target.data(), target.size());
        if (length < 0) fail(errno, "reading the link '" + entry.path + "' in the snapshot");
        target.resize(static_cast<std::size_t>(length));
        count(
            target == entry.target ? &core::VerifyReport::checked : &core::VerifyReport::mismatched,
            entry.path);
    }

    void check_file(int directory, const std::string& name, const struct stat& info,
                    ManifestEntry&& entry) {
        if (info.st_size != entry.size) {
            done_file(entry.size);
            return count(&core::VerifyReport::mismatched, entry.path);
        }
        UniqueFd fd(fs_.open(directory, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0));
        if (!fd) fail(errno, "opening '" + entry.path + "' in the snapshot");
        ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
        HashTask task{std::move(entry.path), std::move(fd), *detail::parse_hex(entry.digest),
                      entry.size};
        std::unique_lock lock(queue_mutex_);
        room_.wait(lock, [this] { return tasks_.size() < 2 * hashers_.size(); });
        tasks_.push_back(std::move(task));
        ready_.notify_one();
    }

    void hash_files() {
        for (;;) {
            HashTask task;
            {
                std::unique_lock lock(queue_mutex_);
                ready_.wait(lock, [this] { return !tasks_.empty() || closing_; });
                if (tasks_.empty()) return;
                task = std::move(tasks_.front());
                tasks_.pop_front();
                room_.notify_one();
            }
            if (failed_.load()) continue;
            try {
                hash_one(task);
            } catch (...) {
                std::lock_guard lock(mutex_);
                if (!failure_) failure_ = std::current_exception();
                failed_ = true;
            }
        }
    }

    void hash_one(const HashTask& task) {
        detail::ContentDigest digest;
        const auto read = detail::hash_contents(fs_, task.fd.get(), options_.stop, {}, digest);
        if (read.status == detail::ContentsResult::Status::stopped) return;
        const bool unreadable = read.status == detail::ContentsResult::Status::read_failed;
        // EIO is the disk saying this file's blocks are bad: rot to report, not a failed verify.
        if (unreadable && read.error_number != EIO)
            fail(read.error_number, "reading '" + task.path + "' in the snapshot");
        const bool intact =
            !unreadable && read.bytes == task.size && digest.finish() == task.expected;
        count(intact ? &core::VerifyReport::checked : &core::VerifyReport::mismatched, task.path);
        done_file(task.size);
    }

    void done_file(std::int64_t bytes) {
        files_done_ += 1;
        bytes_done_ += bytes;
        report(false);
    }

    void report(bool force) {
        if (!options_.on_progress) return;
        const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
        const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  options_.progress_interval)
                                  .count();
        auto last = last_report_.load();
        if (!force && (now - last < interval || !last_report_.compare_exchange_strong(last, now)))
            return;
        core::Progress progress = progress_;
        progress.files_copied = files_done_.load();
        progress.bytes_copied = bytes_done_.load();
        options_.on_progress(progress);
    }

    void stop_hashers() {
        {
            std::lock_guard lock(queue_mutex_);
            closing_ = true;
        }
        ready_.notify_all();
        hashers_.clear();  // joins
    }

    const int snapshot_;
    const VerifyOptions& options_;
    const Filesystem& fs_;
    const core::Progress progress_;  // the totals
    std::vector<Frame> frames_;      // the walk's thread only

    std::mutex mutex_;  // guards report_, failure_
    core::VerifyReport report_;
    std::exception_ptr failure_;
    std::atomic<bool> failed_{false};
    std::atomic<std::int64_t> files_done_{0}, bytes_done_{0};
    std::atomic<std::chrono::steady_clock::rep> last_report_{0};

    std::mutex queue_mutex_;  // guards tasks_, closing_
    std::condition_variable ready_, room_;
    std::deque<HashTask> tasks_;
    bool closing_ = false;
    std::vector<std::jthread> hashers_;  // last: joined first
};

}  // namespace

std::optional<core::VerifyReport> verify_snapshot(int snapshot, int manifest,
                                                  const VerifyOptions& options,
                                                  const Filesystem& filesystem) {
    // A first pass checks the manifest before any file is read, and gives the totals.
    core::Progress totals;
    totals.files_total = 0;
    totals.bytes_total = 0;
    read_manifest(manifest, [&](ManifestEntry&& entry) {
        if (entry.type != core::EntryType::file) return;
        *totals.files_total += 1;
        *totals.bytes_total += entry.size;
    });
    Verifier verifier(snapshot, options, filesystem, totals);
    try {
        read_manifest(manifest, [&](ManifestEntry&& entry) { verifier.check(std::move(entry)); });
        return verifier.finish();
    } catch (const Stopped&) {
        try {
            return verifier.finish();  // a failure of a hashing thread comes first
        } catch (const Stopped&) {
            return std::nullopt;
        }
    }
}

}  // namespace backupd::copy
