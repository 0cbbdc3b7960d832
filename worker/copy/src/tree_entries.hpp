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
#include "manifest_order.hpp"

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

// One file of a batch, by reference: 16 bytes, so sorting 100,000 files costs 1.6 MB.
struct FileRef {
    const std::string* directory;
    FileEntry* file;

    JoinedPath path() const { return {*directory, file->name}; }
};

// Every file of `batches` (`count` of them), sorted into manifest order. Built once after the
// walk, for both steps below.
std::vector<FileRef> files_in_manifest_order(std::deque<FileBatch>& batches, std::size_t count);

// Reads the previous manifest at `fd` and marks each of `files` (in manifest order) whose entry
// records the same size, mtime, mode (and owner, when `keep_owner`) as unchanged, with that
// entry's digest. Returns false, with nothing marked, when the manifest does not check or cannot
// be read.
bool mark_unchanged(int fd, const std::vector<FileRef>& files, bool keep_owner);

// Writes the manifest of a completed copy to `fd`: the directories, the copied and linked
// `files` (in manifest order, with their digests) and the symbolic links, in manifest order.
core::ManifestSummary write_tree_manifest(int fd, const Filesystem& fs,
                                          const std::vector<DirectoryRecord>& directories,
                                          const std::vector<FileRef>& files,
                                          const std::vector<ManifestEntry>& links);

// The manifest entry's fields that a stat gives (not its path, target or digest).
ManifestEntry entry_from_stat(const struct stat& info);

}  // namespace backupd::copy::detail
