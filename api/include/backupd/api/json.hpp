#pragma once
// The JSON codec: the only code that touches RapidJSON. Shapes are docs/design.md section 7; text
// from the database or the client is written as valid UTF-8.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/api/http_message.hpp"
#include "backupd/core/audit.hpp"
#include "backupd/core/daily_stats.hpp"
#include "backupd/core/job.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/core/stats.hpp"

namespace backupd::api {

// {"error": {"code": CODE, "message": MESSAGE}} with the code's HTTP status (core/error.hpp).
HttpResponse error_response(core::ErrorCode code, std::string_view message);
// The same with the code's own message (for codes whose template needs no subject).
HttpResponse error_response(core::ErrorCode code);
// With the job the request created: {"error": {...}, "job": {...}}, with the status of
// `error`'s code unless `status` says otherwise.
HttpResponse error_response(const core::JobError& error, const core::Job& job,
                            std::optional<int> status = std::nullopt);

// {"status": STATUS}
std::string status_body(std::string_view status);

std::string job_json(const core::Job& job);
// {"jobs": [...], "next": "<id>" | null}
std::string job_page_json(const core::JobPage& page);
// {"batch_id": ..., "jobs": [...]}
std::string batch_json(std::string_view batch_id, const std::vector<core::Job>& jobs);
// {"total", "succeeded", "failed", "queued", "running", "cancelled"}
std::string stats_json(const core::Stats& stats);
// {"from", "to", "kind", "days": [{"date", "succeeded", "failed", "cancelled", "bytes_copied"}]}
std::string daily_stats_json(const core::DailyStatsQuery& query,
                             const std::vector<core::DayCounts>& days);
// {"logs": [...], "next": "<cursor>" | null}
std::string audit_page_json(const core::AuditPage& page);
// The records of one streamed batch, comma-separated, with a leading comma unless `first`.
std::string audit_records_json(std::span<const core::AuditRecord> records, bool first);

// POST /api/v1/backups: {"folder": "photos"} or {"folders": ["a", "b"]}, nothing else.
struct BackupRequest {
    std::vector<std::string> folders;
    bool batch = false;
};
struct ParsedBackupRequest {
    BackupRequest request;
    std::string error;  // empty when the body is acceptable
    bool ok() const { return error.empty(); }
};
inline constexpr std::size_t kMaxBatch = 1000;
ParsedBackupRequest parse_backup_request(std::string_view body);

}  // namespace backupd::api
