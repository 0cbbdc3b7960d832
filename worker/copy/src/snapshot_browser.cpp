#include "backupd/copy/snapshot_browser.hpp"

#include <algorithm>
#include <cerrno>
#include <queue>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "backupd/copy/manifest.hpp"
#include "backupd/copy/snapshot_files.hpp"
#include "directory.hpp"
#include "snapshot_lookup.hpp"

namespace backupd::copy {
namespace {

using core::ErrorCode;
using detail::throw_snapshot_error;

// A regular file of a snapshot, read with pread: safe from several threads at once.
class OpenFile : public core::SnapshotFile {
public:
    OpenFile(UniqueFd fd, std::int64_t size, std::string path)
        : fd_(std::move(fd)), size_(size), path_(std::move(path)) {}

    std::int64_t size() const override { return size_; }

    std::size_t read(std::int64_t offset, std::span<char> buffer) override {
        for (;;) {
            const ssize_t got = ::pread(fd_.get(), buffer.data(), buffer.size(), offset);
            if (got >= 0) return static_cast<std::size_t>(got);
            if (errno != EINTR) throw_snapshot_error(ErrorCode::snapshot_unreadable, path_, errno);
        }
    }

private:
    UniqueFd fd_;
    std::int64_t size_;
    std::string path_;
};

[[noreturn]] void throw_unreadable_snapshot(std::string_view snapshot_path,
                                            const std::system_error& error) {
    throw core::Error(
        ErrorCode::snapshot_unreadable, core::message_for(ErrorCode::snapshot_unreadable, "."),
        "opening the snapshot '" + std::string(snapshot_path) + "': " + error.code().message());
}

// The snapshot directory; core::Error not_found when it is not (or no longer) on disk.
UniqueFd open_existing_snapshot(const BackupRoot& root, std::string_view snapshot_path) {
    UniqueFd snapshot;
    try {
        snapshot = open_snapshot(root, snapshot_path);
    } catch (const std::system_error& e) {
        throw_unreadable_snapshot(snapshot_path, e);
    }
    if (!snapshot) {
        throw core::Error(ErrorCode::not_found,
                          core::message_for(ErrorCode::not_found, "No such snapshot"));
    }
    return snapshot;
}

core::Timestamp timestamp_of(const timespec& time) {
    using namespace std::chrono;
    return core::Timestamp(floor<microseconds>(seconds(time.tv_sec) + nanoseconds(time.tv_nsec)));
}

// The first `limit` names after `after` in byte order, plus one more when there is one (so the
// caller knows a next page exists), holding at most limit + 1 names whatever the directory's
// size.
std::vector<std::string> page_of_names(int directory, const std::string& path,
                                       const std::optional<std::string>& after, std::size_t limit) {
    std::priority_queue<std::string> smallest;  // a max-heap: its top is the first to drop
    const int error = detail::for_each_entry(directory, [&](const dirent& entry) {
        const std::string_view name = entry.d_name;
        if (after && name <= *after) return true;
        if (smallest.size() <= limit) {
            smallest.emplace(name);
        } else if (name < smallest.top()) {
            smallest.pop();
            smallest.emplace(name);
        }
        return true;
    });
    if (error != 0) throw_snapshot_error(ErrorCode::snapshot_unreadable, path, error);
    std::vector<std::string> names(smallest.size());
    for (auto slot = names.rbegin(); slot != names.rend(); ++slot) {
        *slot = smallest.top();
        smallest.pop();
    }
    return names;
}

core::DirectoryEntry describe_entry(const Filesystem& fs, int directory, std::string name,
                                    const struct stat& info, const std::string& path) {
    core::DirectoryEntry entry;
    entry.type = entry_type_of(info.st_mode);
    entry.size = info.st_size;
    entry.mtime = timestamp_of(info.st_mtim);
    entry.mode = info.st_mode & 07777;
    if (entry.type == core::EntryType::symlink) {
        entry.target = detail::read_snapshot_link(fs, directory, name.c_str(),
                                                  static_cast<std::size_t>(info.st_size), path);
    }
    entry.name = std::move(name);
    return entry;
}

// The digest the snapshot's manifest records for the file `path`; none without a (readable)
// manifest: a download does not fail for want of an ETag, verify is where that is reported.
std::optional<std::string> manifest_digest(const BackupRoot& root, std::string_view snapshot_path,
                                           const std::string& path) {
    try {
        const UniqueFd file = open_manifest(root, snapshot_path);
        if (!file) return std::nullopt;
        return find_file_digest(file.get(), path);
    } catch (const ManifestError&) {
        return std::nullopt;
    } catch (const std::system_error& error) {
        throw_snapshot_error(ErrorCode::snapshot_unreadable, path, error.code().value());
    }
}

}  // namespace

bool SnapshotBrowser::exists(std::string_view snapshot_path) const {
    try {
        return static_cast<bool>(open_snapshot(root_, snapshot_path));
    } catch (const std::system_error& e) {
        throw_unreadable_snapshot(snapshot_path, e);
    }
}

core::DirectoryPage SnapshotBrowser::list(std::string_view snapshot_path, std::string_view path,
                                          const std::optional<std::string>& after,
                                          std::size_t limit) const {
    const Filesystem& fs = root_.filesystem();
    const std::string relative(path);
    const UniqueFd snapshot = open_existing_snapshot(root_, snapshot_path);
    const UniqueFd directory = detail::open_snapshot_directory(fs, snapshot.get(), relative);
    limit = std::max<std::size_t>(limit, 1);  // a page of nothing would never advance

    std::vector<std::string> names = page_of_names(directory.get(), relative, after, limit);
    core::DirectoryPage page;
    if (names.size() > limit) {
        names.pop_back();
        page.next = names.back();
    }
    page.entries.reserve(names.size());
    for (auto& name : names) {
        struct stat info {};
        const std::string entry_path = detail::join_path(relative, name);
        if (fs.stat(directory.get(), name.c_str(), info) != 0)
            throw_snapshot_error(ErrorCode::snapshot_unreadable, entry_path, errno);
        page.entries.push_back(
            describe_entry(fs, directory.get(), std::move(name), info, entry_path));
    }
    return page;
}

core::EntryType SnapshotBrowser::entry_type(std::string_view snapshot_path,
                                            std::string_view path) const {
    const std::string relative(path);
    if (relative.empty()) return core::EntryType::dir;
    const UniqueFd snapshot = open_existing_snapshot(root_, snapshot_path);
    return entry_type_of(
        detail::find_snapshot_entry(root_.filesystem(), snapshot.get(), relative).info.st_mode);
}

core::OpenedSnapshotFile SnapshotBrowser::open(std::string_view snapshot_path,
                                               std::string_view path) const {
    const Filesystem& fs = root_.filesystem();
    const std::string relative(path);
    const UniqueFd snapshot = open_existing_snapshot(root_, snapshot_path);
    if (relative.empty()) throw_snapshot_error(ErrorCode::not_a_file, relative);
    const detail::SnapshotEntry entry = detail::find_snapshot_entry(fs, snapshot.get(), relative);
    if (!S_ISREG(entry.info.st_mode)) throw_snapshot_error(ErrorCode::not_a_file, relative);
    // O_NOFOLLOW and O_NONBLOCK: whatever replaced the file since its lstat is neither followed
    // nor waited for, and is refused below.
    UniqueFd fd(fs.open(entry.directory.get(), entry.name.c_str(),
                        O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0));
    struct stat info {};
    if (!fd || fs.stat(fd.get(), "", info) != 0) {
        if (errno == ENOENT) throw_snapshot_error(ErrorCode::not_found, relative);
        if (errno == ELOOP) throw_snapshot_error(ErrorCode::not_a_file, relative);
        throw_snapshot_error(ErrorCode::snapshot_unreadable, relative, errno);
    }
    if (!S_ISREG(info.st_mode)) throw_snapshot_error(ErrorCode::not_a_file, relative);

    core::OpenedSnapshotFile opened;
    opened.file = std::make_unique<OpenFile>(std::move(fd), info.st_size, relative);
    opened.digest = manifest_digest(root_, snapshot_path, relative);
    return opened;
}

}  // namespace backupd::copy
