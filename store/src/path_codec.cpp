#include "path_codec.hpp"

#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "backupd/core/utf8.hpp"

namespace backupd::store {
namespace {

constexpr std::string_view kHexDigits = "0123456789ABCDEF";

// Length of the valid UTF-8 sequence at text[i], or 0 when the byte there starts none. A valid
// sequence has exactly one length, and no shorter prefix of it is valid.
std::size_t utf8_sequence_at(std::string_view text, std::size_t i) {
    for (std::size_t length = 1; length <= 4 && i + length <= text.size(); ++length) {
        if (core::is_valid_utf8(text.substr(i, length))) return length;
    }
    return 0;
}

bool must_escape(unsigned char c) {
    return c == '%' || c < 0x20 || c == 0x7F;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool parse_count(std::string_view text, std::string_view name, std::int64_t& out) {
    if (text.substr(0, name.size()) != name || text.substr(name.size(), 1) != "=") return false;
    const std::string_view digits = text.substr(name.size() + 1);
    if (digits.empty()) return false;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return error == std::errc() && end == digits.data() + digits.size() && out >= 0;
}

}  // namespace

std::string escape_path(std::string_view path) {
    std::string out;
    out.reserve(path.size());
    for (std::size_t i = 0; i < path.size();) {
        const auto c = static_cast<unsigned char>(path[i]);
        const std::size_t length = must_escape(c) ? 0 : utf8_sequence_at(path, i);
        if (length == 0) {
            out += '%';
            out += kHexDigits[c >> 4];
            out += kHexDigits[c & 0x0F];
            ++i;
        } else {
            out.append(path.substr(i, length));
            i += length;
        }
    }
    return out;
}

std::optional<std::string> unescape_path(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int high = hex_value(text[i + 1]);
        const int low = hex_value(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

std::string encode_path_list(const std::vector<std::string>& paths) {
    std::string out;
    for (const std::string& path : paths) {
        out += escape_path(path);
        out += '\n';
    }
    return out;
}

std::optional<std::vector<std::string>> decode_path_list(std::string_view text) {
    std::vector<std::string> paths;
    while (!text.empty()) {
        const auto end = text.find('\n');
        if (end == std::string_view::npos) return std::nullopt;  // every path ends with '\n'
        auto path = unescape_path(text.substr(0, end));
        if (!path) return std::nullopt;
        paths.push_back(std::move(*path));
        text.remove_prefix(end + 1);
    }
    return paths;
}

std::string encode_verify_report(const core::VerifyReport& report) {
    return fmt::format("checked={} mismatched={} missing={} extra={}\n{}", report.checked,
                       report.mismatched, report.missing, report.extra,
                       encode_path_list(report.paths));
}

std::optional<core::VerifyReport> decode_verify_report(std::string_view text) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view counts = text.substr(0, end);
    core::VerifyReport report;
    const std::pair<std::string_view, std::int64_t*> fields[] = {
        {"checked", &report.checked},
        {"mismatched", &report.mismatched},
        {"missing", &report.missing},
        {"extra", &report.extra},
    };
    for (const auto& [name, value] : fields) {
        const auto space = counts.find(' ');
        if (!parse_count(counts.substr(0, space), name, *value)) return std::nullopt;
        counts = space == std::string_view::npos ? std::string_view() : counts.substr(space + 1);
    }
    if (!counts.empty()) return std::nullopt;
    auto paths = decode_path_list(text.substr(end + 1));
    if (!paths) return std::nullopt;
    report.paths = std::move(*paths);
    return report;
}

}  // namespace backupd::store
