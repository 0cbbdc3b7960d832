#pragma once
// A snapshot's manifest (docs/design.md section 6): what the snapshot should contain, entry by
// entry, with a content digest per regular file and a digest over the whole manifest. It is a
// file beside the snapshot directory, "<folder>/<name>.manifest", outside the browsable tree,
// durable before the snapshot directory takes its final name and removed after it.
//
// Format (version 1), UTF-8-agnostic text, one '\n'-terminated line each:
//   backupd-manifest 1 xxh3-128
//   <path> TAB <type> TAB <size> TAB <mtime ns> TAB <mode> TAB <uid> TAB <gid> TAB <target> TAB
//   <digest>                                                                      (one per entry)
//   end TAB <entry count> TAB <digest of every byte before this line>
// <path> is relative to the snapshot, '/'-separated, the top directory being the empty path;
// in <path> and <target> the bytes '%', 0x00-0x1f and 0x7f are written as %XX (uppercase hex),
// so any name round-trips. <type> is file, dir, symlink or other; <size> is the file's length,
// the link text's for a symlink, 0 for a directory; <mode> the permission bits in octal;
// <target> only for symlinks and <digest> (lowercase hex) only for regular files, else empty.
// Entries come in manifest order (manifest_before): a directory's entries sorted by name bytes,
// each directory followed by everything beneath it, as a depth-first walk meets them.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "backupd/copy/filesystem.hpp"
#include "backupd/core/job.hpp"
#include "backupd/core/snapshots.hpp"

namespace backupd::copy {

inline constexpr std::string_view kManifestSuffix = ".manifest";
inline constexpr std::string_view kManifestAlgorithm = "xxh3-128";

// True when the entry `a` comes before `b` in a manifest: byte order, except that '/' sorts
// before every other byte (so "a/z" comes before "a.txt", as a depth-first walk meets them).
bool manifest_before(std::string_view a, std::string_view b);

// "<snapshot path>.manifest": the manifest of the snapshot at `snapshot_path` (relative to the
// backup root, or to any directory holding both).
std::string manifest_path(std::string_view snapshot_path);

// The entry type of a file whose st_mode is `mode`.
core::EntryType entry_type_of(unsigned mode);

// One entry as recorded: everything a verify compares and a restore needs.
struct ManifestEntry {
    std::string path;  // relative to the snapshot, '/'-separated
    core::EntryType type = core::EntryType::file;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint32_t mode = 0;  // permission bits
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::string target;  // symlinks
    std::string digest;  // regular files: lowercase hex content digest
};

// Thrown when a manifest cannot be read or does not check (bad format, wrong digest).
class ManifestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Writes a manifest to `fd`, entry by entry in manifest order, buffered (64 KiB), through
// `filesystem`. It does not sync: durability is the caller's. Not thread-safe.
class ManifestWriter {
public:
    explicit ManifestWriter(int fd, const Filesystem& filesystem = system_filesystem());
    ~ManifestWriter();
    ManifestWriter(const ManifestWriter&) = delete;
    ManifestWriter& operator=(const ManifestWriter&) = delete;

    // Throws std::logic_error for an entry out of order, std::system_error when writing fails.
    void add(const ManifestEntry& entry);
    // Writes the trailer and flushes; returns the summary. Call once, after the last add.
    core::ManifestSummary finish();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Reads and checks the manifest open at `fd` from its start, calling `on_entry` for each entry
// in the order written (path order), and returns its summary. Throws ManifestError, or
// std::system_error for an I/O error. Memory stays flat whatever the number of entries.
core::ManifestSummary read_manifest(int fd, const std::function<void(ManifestEntry&&)>& on_entry);

// The content digest the manifest at `fd` records for the regular file `path`, if any. Reads
// only as far as `path` would stand (the rest of the manifest is not checked): for an ETag, not
// for a verdict. Throws as read_manifest for what it reads.
std::optional<std::string> find_file_digest(int fd, std::string_view path);

}  // namespace backupd::copy
