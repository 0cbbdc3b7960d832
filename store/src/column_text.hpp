#pragma once
// Fitting text into the columns it is stored in, identically on both backends. MySQL in strict
// mode refuses text longer than a VARCHAR or not valid UTF-8, which would turn a rejected
// request (say, a 5 KiB folder name) into a lost job row; SQLite would store anything. So every
// free-form text is made valid UTF-8 (bad bytes become U+FFFD) and cut to the column's length
// in characters before it is bound.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace backupd::store {

// Column sizes in characters, as in schema/*/0001_jobs_and_audit_log.sql.
inline constexpr std::size_t kFolderChars = 1024;
inline constexpr std::size_t kMessageChars = 2048;
inline constexpr std::size_t kSnapshotChars = 2048;
inline constexpr std::size_t kCodeChars = 64;
inline constexpr std::size_t kShortTextChars = 64;  // batch id, client address
inline constexpr std::size_t kNodeChars = 255;

std::string column_text(std::string_view text, std::size_t max_chars);

inline std::optional<std::string> optional_column_text(const std::optional<std::string>& text,
                                                       std::size_t max_chars) {
    return text ? std::optional(column_text(*text, max_chars)) : std::nullopt;
}

}  // namespace backupd::store
