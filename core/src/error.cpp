#include "backupd/core/error.hpp"

#include <algorithm>
#include <array>

namespace backupd::core {
namespace {

using enum Retry;

// In enum order (checked below): one row per code.
constexpr std::array<ErrorSpec, 39> kSpecs{{
    {"invalid_request", 400, "{}", never},
    {"bad_request", 400, "Malformed HTTP request: {}", never},
    {"unsupported_media_type", 415, "Send the body as Content-Type: application/json", never},
    {"body_too_large", 413, "Request body too large", never},
    {"header_too_large", 431, "Request header fields too large", never},
    {"unauthorized", 401, "Missing or invalid API token: send Authorization: Bearer <token>",
     never},
    {"insufficient_scope", 403, "The API token lacks the scope this request needs: {}", never},
    {"not_found", 404, "{}", never},
    {"method_not_allowed", 405, "{}", never},
    {"invalid_folder_name", 400, "Invalid folder name: {}", never},
    {"no_such_directory", 404, "No such directory: {}", never},
    {"not_a_directory", 400, "Not a directory: {}", never},
    {"outside_source_root", 403, "The folder path leads outside the source root: {}", never},
    {"symlink_in_path", 403,
     "The folder path goes through a symbolic link, which is never followed: {}", never},
    {"folder_unreadable", 403, "The folder cannot be read: {}", never},
    {"already_finished", 409, "The job has already ended", never},
    {"cancelled", 409, "Cancelled by request", never},
    {"backup_failed", 500, "{}", never},
    {"file_unreadable", 500, "the backup stopped: {}", never},
    {"source_vanished", 500, "the source changed during the copy: {}", with_backoff},
    {"backup_disk_full", 507, "the backup disk is full: {}", with_backoff},
    {"backup_root_read_only", 500, "the backup root is not writable: {}", never},
    {"snapshot_write_failed", 500, "the snapshot could not be written: {}", with_backoff},
    {"lease_expired", 500, "backup stopped responding {}", never},
    {"invalid_path", 400, "Invalid path: {}", never},
    {"not_a_file", 409, "Not a regular file: {}", never},
    {"restore_conflict", 409, "Already present at the restore target (overwrite is never): {}",
     never},
    {"restore_failed", 500, "the restore could not be written: {}", never},
    {"verify_mismatch", 500, "the snapshot does not match its manifest: {}", never},
    {"no_manifest", 409, "The snapshot has no manifest to verify against: {}", never},
    {"snapshot_unreadable", 500, "the snapshot could not be read: {}", never},
    {"plan_exists", 409, "A plan with this name already exists: {}", never},
    {"snapshot_pinned", 409, "The snapshot is pinned; unpin it first: {}", never},
    {"prune_failed", 500, "a snapshot could not be removed: {}", never},
    {"database_unavailable", 503, "The database is unavailable; try again shortly", never},
    {"too_busy", 429, "The server is busy; retry after the time in Retry-After", never},
    {"workers_stopped", 503, "The backup workers are not running", never},
    {"conflict", 409, "{}", never},
    {"internal_error", 500, "Internal error", never},
}};
static_assert(kSpecs.size() == static_cast<std::size_t>(ErrorCode::internal_error) + 1,
              "one row per ErrorCode");

}  // namespace

const ErrorSpec& spec(ErrorCode code) {
    return kSpecs.at(static_cast<std::size_t>(code));
}

std::string_view to_string(ErrorCode code) {
    return spec(code).code;
}

std::optional<ErrorCode> parse_error_code(std::string_view text) {
    const auto found = std::find_if(kSpecs.begin(), kSpecs.end(),
                                    [text](const ErrorSpec& s) { return s.code == text; });
    if (found == kSpecs.end()) return std::nullopt;
    return static_cast<ErrorCode>(found - kSpecs.begin());
}

int http_status(ErrorCode code) {
    return spec(code).http_status;
}

bool retries(ErrorCode code) {
    return spec(code).retry == Retry::with_backoff;
}

std::string message_for(ErrorCode code, std::string_view subject) {
    const std::string_view pattern = spec(code).message;
    const auto hole = pattern.find("{}");
    if (hole == std::string_view::npos) return std::string(pattern);
    std::string out(pattern.substr(0, hole));
    out += subject;
    out += pattern.substr(hole + 2);
    return out;
}

std::chrono::seconds retry_backoff(int attempt) {
    constexpr std::chrono::seconds kFirst{5};
    constexpr std::chrono::seconds kMost{300};
    std::chrono::seconds wait = kFirst;
    for (int i = 1; i < attempt && wait < kMost; ++i) wait *= 2;
    return std::min(wait, kMost);
}

}  // namespace backupd::core
