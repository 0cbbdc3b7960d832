#pragma once
// What a tree copy records of the entries it walks (internal), and the two manifest steps that
// read those records: judging files unchanged from the previous manifest, and writing the new
// manifest once the copy is done (copy_manifest.cpp).

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "backupd/copy/filesystem.hpp"
#include "backupd/copy/manifest.hpp"
#include "backupd/core/job.hpp"
#include "content_digest.hpp"

namespace backupd::copy::detail {

// A regular file as the walk saw it (enough to decide on a link without another stat), then
// as it was copied.
struct FileEntry {
    std::string name;
    std::int64_t size = 0;
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    timespec mtime{};
    enum class Fate : std::uint8_t { pending, copied, linked } fate = Fate::pending;
    bool unchanged = false;  // the previous manifest records this very stat: link, reuse digest
    Digest digest{};         // copied or linked files, when a manifest is written
};

// Files of one directory, copied together by one thread.
struct FileBatch {
    std::string directory;  // relative; "" for the top
    std::vector<FileEntry> files;
};

struct DirectoryRecord {
    std::string path;  // relative; "" for the top
    struct stat info {};
};

// Reads the previous manifest at `fd` and marks each file whose entry records the same size,
// mtime, mode (and owner, when `keep_owner`) as unchanged, with that entry's digest. Returns
// false, with nothing marked, when the manifest does not check or cannot be read. Memory: one
// pointer per file, for sorting.
bool mark_unchanged(int fd, std::deque<FileBatch>& batches, bool keep_owner);

// Writes the manifest of a completed copy to `fd`: the directories, the copied and linked files
// (with their digests) and the symbolic links, in manifest order.
core::ManifestSummary write_tree_manifest(int fd, const Filesystem& fs,
                                          const std::vector<DirectoryRecord>& directories,
                                          const std::deque<FileBatch>& batches,
                                          const std::vector<ManifestEntry>& links);

// The manifest entry's fields that a stat gives (not its path, target or digest).
ManifestEntry entry_from_stat(const struct stat& info);

}  // namespace backupd::copy::detail
