#pragma once
// The JSON of snapshots, their directories and restore requests (the issue 10 shapes; the rest
// of the codec is json.hpp). Text from the disk or the client is written as valid UTF-8.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/core/restores.hpp"
#include "backupd/core/snapshots.hpp"

namespace backupd::api {

// {"id", "folder", "name", "path", "created_at", "files", "bytes", "bytes_copied",
//  "verify_state", "verified_at", "manifest": {"algorithm", "digest"} | null, "pinned"}
std::string snapshot_json(const core::Snapshot& snapshot);
// {"snapshots": [...], "next": "<id>" | null}
std::string snapshot_page_json(const core::SnapshotPage& page);
// {"entries": [{"name", "type", "size", "mtime", "mode", "target"}...], "next": CURSOR | null}
std::string directory_page_json(const std::vector<core::DirectoryEntry>& entries,
                                const std::optional<std::string>& next_cursor);

// POST /api/v1/restores: {"snapshot": 17, "paths": [...], "target": "...", "overwrite": "...",
// "in_place": false}; only "snapshot" is required.
struct ParsedRestoreRequest {
    core::RestoreRequest request;  // the snapshot, and the other fields when acceptable
    // Whether the body names a snapshot (a positive whole number): a refusal is then recorded
    // as a failed restore job of it; otherwise nothing is recorded.
    bool names_snapshot = false;
    std::string error;  // empty when the body is acceptable
    bool ok() const { return error.empty(); }
};
inline constexpr std::size_t kMaxRestorePaths = 1000;
ParsedRestoreRequest parse_restore_request(std::string_view body);

}  // namespace backupd::api
