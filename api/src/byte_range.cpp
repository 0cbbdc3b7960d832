#include "backupd/api/byte_range.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace backupd::api {
namespace {

// A run of digits as a non-negative number, or nullopt (empty, a sign, overflow, other text).
std::optional<std::int64_t> read_digits(std::string_view text) {
    std::int64_t value = 0;
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool starts_with_bytes_unit(std::string_view header) {
    constexpr std::string_view kUnit = "bytes=";
    if (header.size() < kUnit.size()) return false;
    for (std::size_t i = 0; i < kUnit.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(header[i])) != kUnit[i]) return false;
    }
    return true;
}

}  // namespace

ByteRange read_byte_range(std::string_view header, std::int64_t size) {
    using Kind = ByteRange::Kind;
    header = trimmed(header);
    if (!starts_with_bytes_unit(header)) return {};
    const std::string_view spec = trimmed(header.substr(6));
    const auto dash = spec.find('-');
    if (spec.find(',') != std::string_view::npos || dash == std::string_view::npos) return {};
    const std::string_view from = spec.substr(0, dash);
    const std::string_view to = spec.substr(dash + 1);
    if (from.empty()) {  // the last n bytes
        const auto count = read_digits(to);
        if (!count) return {};
        if (*count == 0 || size == 0) return {Kind::unsatisfiable};
        return {Kind::partial, std::max<std::int64_t>(0, size - *count), size - 1};
    }
    const auto first = read_digits(from);
    if (!first) return {};
    std::int64_t last = size - 1;
    if (!to.empty()) {
        const auto given = read_digits(to);
        if (!given || *given < *first) return {};
        last = std::min(*given, size - 1);
    }
    if (*first >= size) return {Kind::unsatisfiable};
    return {Kind::partial, *first, last};
}

}  // namespace backupd::api
