#pragma once
// UTF-8 text at the edges: what clients send may be any bytes, what we store and return in JSON
// must be valid UTF-8.

#include <cstddef>
#include <string>
#include <string_view>

namespace backupd::core {

bool is_valid_utf8(std::string_view text);

// `text` with every invalid byte replaced by U+FFFD, cut to at most `max_chars` characters.
std::string to_valid_utf8(std::string_view text, std::size_t max_chars = std::string::npos);

}  // namespace backupd::core
