#pragma once
// Names in the backup root (docs/design.md section 6):
//   <backup_root>/.staging/<job id>-<attempt>/        a snapshot being built
//   <backup_root>/<folder>/<YYYYMMDDTHHMMSSZ>-<job id>/ a finished snapshot
//   <backup_root>/<folder>/latest                      symbolic link to the newest good one
// Folder names whose segments would collide with these are refused by validate_folder_name.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backupd::copy {

inline constexpr std::string_view kStagingDirectory = ".staging";
inline constexpr std::string_view kLatestLink = "latest";

// "<job id>-<attempt>"
std::string staging_name(std::int64_t job_id, int attempt);

struct StagingName {
    std::int64_t job_id = 0;
    int attempt = 0;
};
std::optional<StagingName> parse_staging_name(std::string_view name);

// "<YYYYMMDDTHHMMSSZ>-<job id>", UTC. Job id 0 marks a snapshot made by `backupd snapshot`
// without a database.
std::string snapshot_name(std::chrono::sys_seconds taken_at, std::int64_t job_id);

struct SnapshotName {
    std::chrono::sys_seconds taken_at{};
    std::int64_t job_id = 0;
};
std::optional<SnapshotName> parse_snapshot_name(std::string_view name);

}  // namespace backupd::copy
