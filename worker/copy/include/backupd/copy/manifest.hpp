#pragma once
// A snapshot's manifest (docs/design.md section 6): what the snapshot should contain, entry by
// entry, with a content digest per regular file and a digest over the whole manifest. It is a
// file beside the snapshot directory, "<folder>/<name>.manifest", outside the browsable tree,
// durable before the snapshot directory takes its final name and removed after it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "backupd/core/job.hpp"
#include "backupd/core/snapshots.hpp"

namespace backupd::copy {

inline constexpr std::string_view kManifestSuffix = ".manifest";

// "<snapshot path>.manifest": the manifest of the snapshot at `snapshot_path` (relative to the
// backup root, or to any directory holding both).
std::string manifest_path(std::string_view snapshot_path);

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

// Reads and checks the manifest open at `fd` from its start, calling `on_entry` for each entry
// in the order written (path order), and returns its summary. Throws ManifestError, or
// std::system_error for an I/O error. Memory stays flat whatever the number of entries.
core::ManifestSummary read_manifest(int fd, const std::function<void(ManifestEntry&&)>& on_entry);

// The content digest the manifest at `fd` records for the regular file `path`, if any.
std::optional<std::string> find_file_digest(int fd, std::string_view path);

}  // namespace backupd::copy
