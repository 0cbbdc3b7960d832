#pragma once
// Lists of paths as one text column (restore paths, a verify report), readable by an operator
// and round-tripping any path: file names are bytes, and may hold a newline, a tab or bytes that
// are not UTF-8 (a verify report names what it found on disk).
//
// Each path is escaped and ended by '\n'. Escaped as %XX (two uppercase hex digits): '%', every
// control character (below 0x20, and 0x7F) and every byte that is not part of valid UTF-8.
// Everything else is kept, so the text is always valid UTF-8 (MySQL refuses anything else) and
// "photos/été/a b.jpg" reads as itself. An empty list is the empty text; a list of one empty
// path is "\n".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/core/job.hpp"

namespace backupd::store {

std::string escape_path(std::string_view path);
// nullopt when `text` is not what escape_path writes (a '%' not followed by two hex digits).
std::optional<std::string> unescape_path(std::string_view text);

std::string encode_path_list(const std::vector<std::string>& paths);
// nullopt when `text` is not what encode_path_list writes.
std::optional<std::vector<std::string>> decode_path_list(std::string_view text);

// A first line "checked=N mismatched=N missing=N extra=N", then the paths as a path list.
std::string encode_verify_report(const core::VerifyReport& report);
std::optional<core::VerifyReport> decode_verify_report(std::string_view text);

}  // namespace backupd::store
