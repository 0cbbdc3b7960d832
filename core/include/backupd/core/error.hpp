#pragma once
// The one error vocabulary of backupd. Every failure a client or an operator can see has an
// ErrorCode; each code carries, in one table (error.cpp), its stable text (the JSON "code"), its
// HTTP status, its message template and whether a job that fails with it is retried. Store,
// worker and api use the enum; the text appears only at the edges (JSON, the jobs table).
//
// Thread-safety: pure functions over a constant table, safe from any thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace backupd::core {

enum class ErrorCode : std::uint8_t {
    // A request that cannot be served as sent.
    invalid_request,         // a parameter or body field is wrong
    bad_request,             // the HTTP message itself is malformed
    unsupported_media_type,  // the body is not JSON
    body_too_large,
    header_too_large,
    unauthorized,
    insufficient_scope,  // a valid token without the scope the route needs (403)
    not_found,           // no such route or resource
    method_not_allowed,
    // A folder refused at submission (or found gone by the worker).
    invalid_folder_name,
    no_such_directory,
    not_a_directory,
    outside_source_root,
    symlink_in_path,
    folder_unreadable,
    // The life of a job.
    already_finished,  // cancel after the end
    cancelled,
    backup_failed,          // how the short form reports any failed copy
    file_unreadable,        // a source file could not be read: the copy stops
    source_vanished,        // a file or directory of the source disappeared mid-copy
    backup_disk_full,       // ENOSPC/EDQUOT on the backup root
    backup_root_read_only,  // EROFS/EACCES on the backup root
    snapshot_write_failed,  // any other I/O error on the backup root
    lease_expired,          // the worker stopped heartbeating, attempts exhausted
    // Snapshots, restores and verifies.
    invalid_path,         // a path inside a snapshot or a restore target that is not acceptable
    not_a_file,           // content asked of something that is not a regular file
    restore_conflict,     // overwrite "never" and the target already holds the path
    restore_failed,       // the restore target could not be written
    verify_mismatch,      // the snapshot differs from its manifest
    no_manifest,          // the snapshot has no (readable) manifest to verify against
    snapshot_unreadable,  // an I/O error reading the snapshot
    // Plans and pruning.
    plan_exists,      // a plan with that name already exists (409)
    snapshot_pinned,  // a pinned snapshot cannot be deleted (409)
    prune_failed,     // a snapshot could not be removed from the backup disk (500)
    // The service.
    database_unavailable,  // unreachable or busy: try again shortly
    too_busy,              // overloaded or rate-limited: 429 with Retry-After
    workers_stopped,
    conflict,  // the change clashes with the current state
    internal_error,
};

// Whether a job that fails with a code goes back to the queue (after a bounded backoff) while
// it has attempts left.
enum class Retry : std::uint8_t { never, with_backoff };

struct ErrorSpec {
    std::string_view code;  // stable text: the JSON "code" and the jobs.error_code column
    int http_status;
    // The client-facing message; "{}" stands for the subject (a folder, a path, a reason).
    std::string_view message;
    Retry retry;
};

const ErrorSpec& spec(ErrorCode code);
std::string_view to_string(ErrorCode code);
// The code for its stable text; nullopt for text no version of backupd wrote.
std::optional<ErrorCode> parse_error_code(std::string_view text);
int http_status(ErrorCode code);
bool retries(ErrorCode code);
// The message template of `code` with "{}" replaced by `subject`.
std::string message_for(ErrorCode code, std::string_view subject = {});

// How long a job that failed with a retried code waits before its next attempt: 5 s after
// the first attempt, doubling, at most 5 minutes.
std::chrono::seconds retry_backoff(int attempt);

// An error with a code, a message safe to show a client (no SQL, no server paths), and a
// detail for the operator log. Thrown across port boundaries for the unexpected; expected
// outcomes are plain return values.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& public_message, const std::string& detail = {})
        : std::runtime_error(public_message),
          code_(code),
          detail_(detail.empty() ? public_message : detail) {}

    ErrorCode code() const noexcept { return code_; }
    // The full story, possibly with SQL or paths: for the operator log only.
    const std::string& detail() const noexcept { return detail_; }

private:
    ErrorCode code_;
    std::string detail_;
};

}  // namespace backupd::core
