#include "backupd/copy/snapshot.hpp"

#include <cerrno>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backupd/copy/remove_tree.hpp"
#include "backupd/copy/snapshot_layout.hpp"
#include "directory.hpp"

namespace backupd::copy {
namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

[[noreturn]] void fail(const std::string& what) {
    const int error = errno;
    throw std::system_error(error, std::generic_category(), what);
}

// Opens `path` beneath `parent`, creating missing segments; never follows a link.
UniqueFd make_directories(const Filesystem& fs, int parent, std::string_view path) {
    UniqueFd current(::fcntl(parent, F_DUPFD_CLOEXEC, 0));
    std::size_t start = 0;
    while (current) {
        const std::size_t slash = path.find('/', start);
        const std::string segment(path.substr(start, slash - start));
        if (fs.make_directory(current.get(), segment.c_str(), 0755) != 0 && errno != EEXIST)
            fail("creating the backup directory " + std::string(path));
        current.reset(fs.open(current.get(), segment.c_str(), kDirectoryFlags, 0));
        if (!current) fail("opening the backup directory " + std::string(path));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return current;
}

void sync_directory(const Filesystem& fs, int fd, const std::string& what) {
    if (fs.sync(fd) != 0) fail("flushing " + what);
}

std::string_view last_segment(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

BackupRoot::BackupRoot(UniqueFd directory, const Filesystem& filesystem)
    : directory_(std::move(directory)), filesystem_(&filesystem) {}

BackupRoot BackupRoot::open(const std::string& path, const Filesystem& filesystem) {
    std::filesystem::create_directories(path);
    UniqueFd directory(
        filesystem.open(AT_FDCWD, path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
    if (!directory) fail("opening the backup root " + path);
    return BackupRoot(std::move(directory), filesystem);
}

void BackupRoot::publish_latest(std::string_view folder, std::string_view snapshot) const {
    const Filesystem& fs = filesystem();
    const UniqueFd directory = make_directories(fs, fd(), folder);
    const std::string target(last_segment(snapshot));
    // Only forward: a slower job of the same folder that commits later must not point `latest`
    // back at an older snapshot.
    char current[256];
    const ssize_t length =
        fs.read_link(directory.get(), std::string(kLatestLink).c_str(), current, sizeof current);
    if (length > 0 && static_cast<std::size_t>(length) < sizeof current) {
        const auto now = parse_snapshot_name(std::string_view(current, length));
        const auto next = parse_snapshot_name(target);
        if (now && next &&
            std::pair(now->taken_at, now->job_id) > std::pair(next->taken_at, next->job_id)) {
            return;
        }
    }
    const std::string temporary = ".latest-" + target;
    (void)fs.remove(directory.get(), temporary.c_str(), 0);
    if (fs.make_symlink(target.c_str(), directory.get(), temporary.c_str()) != 0)
        fail("creating the latest link of " + std::string(folder));
    if (fs.rename(directory.get(), temporary.c_str(), directory.get(),
                  std::string(kLatestLink).c_str(), 0) != 0) {
        fail("replacing the latest link of " + std::string(folder));
    }
    sync_directory(fs, directory.get(), "the folder directory " + std::string(folder));
}

UniqueFd BackupRoot::open_latest(std::string_view folder) const {
    const Filesystem& fs = filesystem();
    const UniqueFd directory = detail::open_directory(fs, fd(), std::string(folder));
    if (!directory) return {};
    char target[256];
    const ssize_t length =
        fs.read_link(directory.get(), std::string(kLatestLink).c_str(), target, sizeof target);
    if (length <= 0 || static_cast<std::size_t>(length) >= sizeof target) return {};
    const std::string name(target, static_cast<std::size_t>(length));
    if (!parse_snapshot_name(name)) return {};  // only ever a sibling snapshot
    return UniqueFd(fs.open(directory.get(), name.c_str(), kDirectoryFlags, 0));
}

void BackupRoot::remove(std::string_view relative_path) const {
    const std::size_t slash = relative_path.rfind('/');
    if (slash == std::string_view::npos) {
        remove_tree(fd(), relative_path, filesystem());
        return;
    }
    const UniqueFd parent =
        detail::open_directory(filesystem(), fd(), std::string(relative_path.substr(0, slash)));
    if (!parent) {
        if (errno == ENOENT) return;
        fail("opening the parent of " + std::string(relative_path));
    }
    remove_tree(parent.get(), relative_path.substr(slash + 1), filesystem());
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
    const Filesystem& fs = root_->filesystem();
    // One syncfs flushes every file of the copy (far cheaper than an fsync per file).
    if (fs.sync_filesystem(staging_fd_.get()) != 0) fail("flushing the snapshot to disk");
    const UniqueFd folder = make_directories(fs, root_->fd(), request_.folder);
    // Moving a directory to another parent rewrites its ".." entry, which needs write
    // permission on it unless running as root: a read-only copy gets it for the rename.
    struct stat top {};
    if (fs.stat(staging_fd_.get(), "", top) != 0) fail("reading the snapshot directory");
    const bool lend_write = (top.st_mode & S_IWUSR) == 0;
    if (lend_write && fs.set_mode(staging_fd_.get(), "", (top.st_mode & 07777) | S_IWUSR) != 0)
        fail("making the snapshot directory writable");
    auto taken_at = request_.taken_at;
    for (int tries = 0;; ++tries) {
        const std::string name = snapshot_name(taken_at, request_.job_id);
        if (fs.rename(root_->fd(), staging_.c_str(), folder.get(), name.c_str(),
                      RENAME_NOREPLACE) == 0) {
            staging_.clear();  // renamed: nothing left to discard, whatever happens next
            if (lend_write && fs.set_mode(staging_fd_.get(), "", top.st_mode & 07777) != 0)
                fail("restoring the mode of the snapshot directory");
            staging_fd_.reset();
            sync_directory(fs, folder.get(), "the folder directory " + request_.folder);
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
    const Filesystem& fs = root.filesystem();
    const UniqueFd staging_root = make_directories(fs, root.fd(), kStagingDirectory);
    remove_tree(staging_root.get(), name, fs);  // a leftover of this very attempt
    if (fs.make_directory(staging_root.get(), name.c_str(), 0700) != 0) fail("creating " + name);
    UniqueFd staging(fs.open(staging_root.get(), name.c_str(), kDirectoryFlags, 0));
    if (!staging) fail("opening " + name);

    StagedSnapshot staged(root, request, std::string(kStagingDirectory) + "/" + name,
                          std::move(staging), CopyResult{});
    const UniqueFd previous = root.open_latest(request.folder);
    // A throw here discards the staging directory with `staged`.
    staged.result_ = copy_tree(source.get(), staged.staging_fd_.get(),
                               previous ? previous.get() : -1, options, fs);
    return staged;
}

}  // namespace backupd::copy
