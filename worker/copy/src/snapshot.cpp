#include "backupd/copy/snapshot.hpp"

#include <cerrno>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backupd/copy/manifest.hpp"
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

// Removes `name` in `directory`; absent is fine.
void remove_file(const Filesystem& fs, int directory, const std::string& name,
                 const std::string& what) {
    if (fs.remove(directory, name.c_str(), 0) != 0 && errno != ENOENT) fail("removing " + what);
}

// The folder directory and the name `latest` points at, if it names a sibling snapshot.
struct Latest {
    UniqueFd folder;
    std::string name;
};

std::optional<Latest> find_latest(const Filesystem& fs, int root, std::string_view folder) {
    UniqueFd directory = detail::open_directory(fs, root, std::string(folder));
    if (!directory) return std::nullopt;
    char target[256];
    const ssize_t length =
        fs.read_link(directory.get(), std::string(kLatestLink).c_str(), target, sizeof target);
    if (length <= 0 || static_cast<std::size_t>(length) >= sizeof target) return std::nullopt;
    std::string name(target, static_cast<std::size_t>(length));
    if (!parse_snapshot_name(name)) return std::nullopt;  // only ever a sibling snapshot
    return Latest{std::move(directory), std::move(name)};
}

// Makes `latest` in the folder directory name `target`: a new link renamed over the old one,
// so a reader sees the old link or the new one, never none.
void replace_latest(const Filesystem& fs, int directory, std::string_view folder,
                    const std::string& target) {
    const std::string temporary = ".latest-" + target;
    (void)fs.remove(directory, temporary.c_str(), 0);
    if (fs.make_symlink(target.c_str(), directory, temporary.c_str()) != 0)
        fail("creating the latest link of " + std::string(folder));
    if (fs.rename(directory, temporary.c_str(), directory, std::string(kLatestLink).c_str(), 0) !=
        0) {
        fail("replacing the latest link of " + std::string(folder));
    }
    sync_directory(fs, directory, "the folder directory " + std::string(folder));
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
    replace_latest(fs, directory.get(), folder, target);
}

UniqueFd BackupRoot::open_latest(std::string_view folder) const {
    const auto latest = find_latest(filesystem(), fd(), folder);
    if (!latest) return {};
    return UniqueFd(
        filesystem().open(latest->folder.get(), latest->name.c_str(), kDirectoryFlags, 0));
}

std::optional<std::string> BackupRoot::latest_name(std::string_view folder) const {
    auto latest = find_latest(filesystem(), fd(), folder);
    if (!latest) return std::nullopt;
    return std::move(latest->name);
}

void BackupRoot::repoint_latest(std::string_view folder,
                                std::optional<std::string_view> snapshot) const {
    const Filesystem& fs = filesystem();
    const UniqueFd directory = detail::open_directory(fs, fd(), std::string(folder));
    if (!directory) {
        if (errno == ENOENT && !snapshot) return;  // no folder, so no link to remove
        fail("opening the folder directory " + std::string(folder));
    }
    if (snapshot) {
        replace_latest(fs, directory.get(), folder, std::string(last_segment(*snapshot)));
        return;
    }
    remove_file(fs, directory.get(), std::string(kLatestLink),
                "the latest link of " + std::string(folder));
    sync_directory(fs, directory.get(), "the folder directory " + std::string(folder));
}

void BackupRoot::remove(std::string_view relative_path) const {
    const std::size_t slash = relative_path.rfind('/');
    UniqueFd parent;
    if (slash != std::string_view::npos) {
        parent =
            detail::open_directory(filesystem(), fd(), std::string(relative_path.substr(0, slash)));
        if (!parent) {
            if (errno == ENOENT) return;
            fail("opening the parent of " + std::string(relative_path));
        }
    }
    const int directory = parent ? parent.get() : fd();
    const std::string_view name = last_segment(relative_path);
    remove_tree(directory, name, filesystem());
    // After the directory: a crash in between leaves an orphan manifest (the orphan collector
    // removes it), never a snapshot that lost its manifest.
    remove_file(filesystem(), directory, manifest_path(name),
                "the manifest of " + std::string(relative_path));
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

bool StagedSnapshot::place_manifest(int folder, const std::string& name) {
    const Filesystem& fs = root_->filesystem();
    if (fs.rename(root_->fd(), manifest_path(staging_).c_str(), folder, manifest_path(name).c_str(),
                  RENAME_NOREPLACE) != 0) {
        if (errno == EEXIST) return false;
        fail("renaming the manifest into place");
    }
    // Durable before the snapshot directory takes its name: a committed snapshot always has it.
    sync_directory(fs, folder, "the folder directory " + request_.folder);
    return true;
}

void StagedSnapshot::take_back_manifest(int folder, const std::string& name, bool to_staging) {
    const Filesystem& fs = root_->filesystem();
    const std::string placed = manifest_path(name);
    if (to_staging && fs.rename(folder, placed.c_str(), root_->fd(),
                                manifest_path(staging_).c_str(), RENAME_NOREPLACE) == 0) {
        return;
    }
    remove_file(fs, folder, placed, "the manifest " + placed);
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
    for (int tries = 0;; ++tries, taken_at += std::chrono::seconds{1}) {
        // A later second when the name is taken: two snapshots within one second.
        if (tries > 100) fail("renaming the snapshot into place");
        const std::string name = snapshot_name(taken_at, request_.job_id);
        if (!place_manifest(folder.get(), name)) continue;
        if (fs.rename(root_->fd(), staging_.c_str(), folder.get(), name.c_str(),
                      RENAME_NOREPLACE) == 0) {
            staging_.clear();  // renamed: nothing left to discard, whatever happens next
            if (lend_write && fs.set_mode(staging_fd_.get(), "", top.st_mode & 07777) != 0)
                fail("restoring the mode of the snapshot directory");
            staging_fd_.reset();
            sync_directory(fs, folder.get(), "the folder directory " + request_.folder);
            return request_.folder + "/" + name;
        }
        const int error = errno;
        take_back_manifest(folder.get(), name, error == EEXIST);
        errno = error;
        if (error != EEXIST) fail("renaming the snapshot into place");
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
    root.remove(std::string(kStagingDirectory) + "/" + name);  // a leftover of this very attempt
    if (fs.make_directory(staging_root.get(), name.c_str(), 0700) != 0) fail("creating " + name);
    UniqueFd staging(fs.open(staging_root.get(), name.c_str(), kDirectoryFlags, 0));
    if (!staging) fail("opening " + name);

    StagedSnapshot staged(root, request, std::string(kStagingDirectory) + "/" + name,
                          std::move(staging), CopyResult{});
    // From here a throw discards the staging directory and manifest with `staged`.
    const UniqueFd manifest(fs.open(staging_root.get(), manifest_path(name).c_str(),
                                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!manifest) fail("creating the manifest " + manifest_path(name));

    UniqueFd previous;
    UniqueFd previous_manifest;
    if (const auto latest = find_latest(fs, root.fd(), request.folder)) {
        previous.reset(fs.open(latest->folder.get(), latest->name.c_str(), kDirectoryFlags, 0));
        // None (a snapshot from before manifests): files are judged by a stat of their copy.
        previous_manifest.reset(fs.open(latest->folder.get(), manifest_path(latest->name).c_str(),
                                        O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0));
    }
    CopyOptions with_manifest = options;
    with_manifest.manifest = manifest.get();
    with_manifest.previous_manifest = previous_manifest ? previous_manifest.get() : -1;
    staged.result_ = copy_tree(source.get(), staged.staging_fd_.get(),
                               previous ? previous.get() : -1, with_manifest, fs);
    if (staged.result_.manifest && fs.sync(manifest.get()) != 0)
        fail("flushing the manifest " + manifest_path(name));
    return staged;
}

}  // namespace backupd::copy
