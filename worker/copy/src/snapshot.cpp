#include "backupd/copy/snapshot.hpp"

#include <cerrno>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backupd/copy/remove_tree.hpp"
#include "backupd/copy/snapshot_layout.hpp"
#include "open_beneath.hpp"

namespace backupd::copy {
namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Opens `path` beneath `parent`, creating missing segments; never follows a link.
UniqueFd make_directories(int parent, std::string_view path) {
    UniqueFd current(::fcntl(parent, F_DUPFD_CLOEXEC, 0));
    std::size_t start = 0;
    while (current) {
        const std::size_t slash = path.find('/', start);
        const std::string segment(path.substr(start, slash - start));
        if (::mkdirat(current.get(), segment.c_str(), 0755) != 0 && errno != EEXIST)
            fail("creating the backup directory " + std::string(path));
        current.reset(::openat(current.get(), segment.c_str(), kDirectoryFlags));
        if (!current) fail("opening the backup directory " + std::string(path));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return current;
}

void sync_directory(int fd, const std::string& what) {
    if (::fsync(fd) != 0) fail("flushing " + what);
}

std::string_view last_segment(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

BackupRoot::BackupRoot(UniqueFd directory) : directory_(std::move(directory)) {}

BackupRoot BackupRoot::open(const std::string& path) {
    std::filesystem::create_directories(path);
    UniqueFd directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!directory) fail("opening the backup root " + path);
    return BackupRoot(std::move(directory));
}

void BackupRoot::publish_latest(std::string_view folder, std::string_view snapshot) const {
    const UniqueFd directory = make_directories(fd(), folder);
    const std::string target(last_segment(snapshot));
    // Only forward: a slower job of the same folder that commits later must not point `latest`
    // back at an older snapshot.
    char current[256];
    const ssize_t length =
        ::readlinkat(directory.get(), std::string(kLatestLink).c_str(), current, sizeof current);
    if (length > 0 && static_cast<std::size_t>(length) < sizeof current) {
        const auto now = parse_snapshot_name(std::string_view(current, length));
        const auto next = parse_snapshot_name(target);
        if (now && next &&
            std::pair(now->taken_at, now->job_id) > std::pair(next->taken_at, next->job_id)) {
            return;
        }
    }
    const std::string temporary = ".latest-" + target;
    ::unlinkat(directory.get(), temporary.c_str(), 0);
    if (::symlinkat(target.c_str(), directory.get(), temporary.c_str()) != 0)
        fail("creating the latest link of " + std::string(folder));
    if (::renameat(directory.get(), temporary.c_str(), directory.get(),
                   std::string(kLatestLink).c_str()) != 0) {
        fail("replacing the latest link of " + std::string(folder));
    }
    sync_directory(directory.get(), "the folder directory " + std::string(folder));
}

UniqueFd BackupRoot::open_latest(std::string_view folder) const {
    const UniqueFd directory(detail::open_directory_beneath(fd(), std::string(folder)));
    if (!directory) return {};
    char target[256];
    const ssize_t length =
        ::readlinkat(directory.get(), std::string(kLatestLink).c_str(), target, sizeof target);
    if (length <= 0 || static_cast<std::size_t>(length) >= sizeof target) return {};
    const std::string name(target, static_cast<std::size_t>(length));
    if (!parse_snapshot_name(name)) return {};  // only ever a sibling snapshot
    return UniqueFd(::openat(directory.get(), name.c_str(), kDirectoryFlags));
}

void BackupRoot::remove(std::string_view relative_path) const {
    const std::size_t slash = relative_path.rfind('/');
    if (slash == std::string_view::npos) {
        remove_tree(fd(), relative_path);
        return;
    }
    const UniqueFd parent(
        detail::open_directory_beneath(fd(), std::string(relative_path.substr(0, slash))));
    if (!parent) {
        if (errno == ENOENT) return;
        fail("opening the parent of " + std::string(relative_path));
    }
    remove_tree(parent.get(), relative_path.substr(slash + 1));
}

StagedSnapshot::StagedSnapshot(const BackupRoot& root, SnapshotRequest request, std::string staging,
                               UniqueFd staging_fd, CopyResult result)
    : root_(&root),
      request_(std::move(request)),
      staging_(std::move(staging)),
      staging_fd_(std::move(staging_fd)),
      result_(std::move(result)) {}

StagedSnapshot::StagedSnapshot(StagedSnapshot&& other) noexcept
    : root_(other.root_),
      request_(std::move(other.request_)),
      staging_(std::exchange(other.staging_, {})),
      staging_fd_(std::move(other.staging_fd_)),
      result_(std::move(other.result_)) {}

StagedSnapshot::~StagedSnapshot() {
    try {
        discard();
    } catch (...) {
        // Left for the orphan collector.
    }
}

void StagedSnapshot::discard() {
    if (staging_.empty()) return;
    staging_fd_.reset();
    const std::string staging = std::exchange(staging_, {});
    root_->remove(staging);
}

std::string StagedSnapshot::commit() {
    if (staging_.empty() || result_.status != CopyStatus::completed)
        throw std::logic_error("only a completed, uncommitted copy can be committed");
    // One syncfs flushes every file of the copy (far cheaper than an fsync per file).
    if (::syncfs(staging_fd_.get()) != 0) fail("flushing the snapshot to disk");
    const UniqueFd folder = make_directories(root_->fd(), request_.folder);
    // Moving a directory to another parent rewrites its ".." entry, which needs write
    // permission on it unless running as root: a read-only copy gets it for the rename.
    struct stat top {};
    if (::fstat(staging_fd_.get(), &top) != 0) fail("reading the snapshot directory");
    const bool lend_write = (top.st_mode & S_IWUSR) == 0;
    if (lend_write && ::fchmod(staging_fd_.get(), (top.st_mode & 07777) | S_IWUSR) != 0)
        fail("making the snapshot directory writable");
    auto taken_at = request_.taken_at;
    for (int tries = 0;; ++tries) {
        const std::string name = snapshot_name(taken_at, request_.job_id);
        if (::renameat2(root_->fd(), staging_.c_str(), folder.get(), name.c_str(),
                        RENAME_NOREPLACE) == 0) {
            staging_.clear();  // renamed: nothing left to discard, whatever happens next
            if (lend_write && ::fchmod(staging_fd_.get(), top.st_mode & 07777) != 0)
                fail("restoring the mode of the snapshot directory");
            staging_fd_.reset();
            sync_directory(folder.get(), "the folder directory " + request_.folder);
            return request_.folder + "/" + name;
        }
        if (errno != EEXIST || tries == 100) fail("renaming the snapshot into place");
        taken_at += std::chrono::seconds{1};  // two snapshots within one second
    }
}

std::variant<StagedSnapshot, SourceFolderError> stage_snapshot(const BackupRoot& root,
                                                               int source_root,
                                                               const SnapshotRequest& request,
                                                               const CopyOptions& options) {
    auto opened = open_source_folder(source_root, request.folder);
    if (auto* error = std::get_if<SourceFolderError>(&opened)) return *error;
    const UniqueFd source = std::move(std::get<UniqueFd>(opened));

    const std::string name = staging_name(request.job_id, request.attempt);
    const UniqueFd staging_root = make_directories(root.fd(), kStagingDirectory);
    remove_tree(staging_root.get(), name);  // a leftover of this very attempt
    if (::mkdirat(staging_root.get(), name.c_str(), 0700) != 0) fail("creating " + name);
    UniqueFd staging(::openat(staging_root.get(), name.c_str(), kDirectoryFlags));
    if (!staging) fail("opening " + name);

    StagedSnapshot staged(root, request, std::string(kStagingDirectory) + "/" + name,
                          std::move(staging), CopyResult{});
    const UniqueFd previous = root.open_latest(request.folder);
    staged.result_ =
        copy_tree(source.get(), staged.staging_fd_.get(), previous ? previous.get() : -1, options);
    return staged;
}

}  // namespace backupd::copy
