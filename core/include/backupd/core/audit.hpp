#pragma once
// An audit record is one row of the append-only audit log. Actions and statuses keep the case
// study's exact labels ("Backup", "Get Log", "Get Stats", and "Restore", "Verify"; "SUCCESS",
// "FAILED").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/core/job.hpp"
#include "backupd/core/time.hpp"

namespace backupd::core {

using AuditId = std::int64_t;

// schedule: a plan's due time that made no job (skipped); prune: a prune job's one record.
enum class AuditAction { backup, get_log, get_stats, restore, verify, schedule, prune };

// The action of the one audit record a job of `kind` leaves.
AuditAction audit_action(JobKind kind);
enum class AuditStatus { success, failed };

std::string_view to_string(AuditAction action);
std::optional<AuditAction> parse_audit_action(std::string_view label);
std::string_view to_string(AuditStatus status);
std::optional<AuditStatus> parse_audit_status(std::string_view label);

struct AuditRecord {
    AuditId id = 0;
    Timestamp at{};
    AuditAction action = AuditAction::backup;
    AuditStatus status = AuditStatus::success;
    std::optional<std::string> folder;
    std::optional<JobId> job_id;
    std::string message;
    std::optional<std::string> client_address;
};

struct NewAuditRecord {
    AuditAction action = AuditAction::backup;
    AuditStatus status = AuditStatus::success;
    std::optional<std::string> folder;
    std::optional<JobId> job_id;
    std::string message;
    std::optional<std::string> client_address;
    // Normally empty: the database stamps the record with its own clock. Set only to import
    // records or to place them precisely in tests.
    std::optional<Timestamp> at;
};

// A position in the log's order (at, id): the keyset cursor of a page.
struct AuditCursor {
    Timestamp at{};
    AuditId id = 0;
};

// Opaque text form for the API: "<microseconds since epoch>.<id>".
std::string encode_cursor(const AuditCursor& cursor);
std::optional<AuditCursor> decode_cursor(std::string_view text);

struct AuditQuery {
    std::optional<TimeRange> range;  // inclusive at both ends
    std::optional<AuditAction> action;
    std::optional<AuditStatus> status;
    std::optional<AuditCursor> after;  // records strictly after this position
    std::size_t limit = 100;
};

struct AuditPage {
    std::vector<AuditRecord> records;  // oldest first
    std::optional<AuditCursor> next;   // set when more records match
};

}  // namespace backupd::core
