#pragma once
// Quotes client input inside an error message: at most kMaxExcerpt characters, so a huge
// parameter cannot bloat a 400 body or the log, and bytes outside printable ASCII shown as '?',
// so the message stays one line of plain text. Pure function: safe from any thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace backupd::api {

inline constexpr std::size_t kMaxExcerpt = 64;

inline std::string quoted_excerpt(std::string_view text) {
    std::string out = "'";
    const std::string_view shown = text.substr(0, kMaxExcerpt);
    for (const char c : shown) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (shown.size() < text.size()) out += "...";
    out += '\'';
    return out;
}

}  // namespace backupd::api
