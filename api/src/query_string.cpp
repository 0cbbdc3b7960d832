#include "backupd/api/query_string.hpp"

#include <optional>

#include "quoted_excerpt.hpp"

namespace backupd::api {
namespace {

std::optional<int> hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return std::nullopt;
}

// Decodes `text` into `out`. Returns why it failed, naming the offending escape, or "" on success.
std::string decode(std::string_view text, bool plus_is_space, std::string& out) {
    out.clear();
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            const auto high = i + 1 < text.size() ? hex_value(text[i + 1]) : std::nullopt;
            const auto low = i + 2 < text.size() ? hex_value(text[i + 2]) : std::nullopt;
            if (!high || !low) {
                return quoted_excerpt(text.substr(i, 3)) +
                       " is not a valid %-escape (expected '%' and two hex digits)";
            }
            if (*high == 0 && *low == 0) return "an encoded NUL (%00) is not allowed";
            out += static_cast<char>(*high * 16 + *low);
            i += 2;
        } else if (c == '\0') {
            return "a NUL character is not allowed";
        } else {
            out += (plus_is_space && c == '+') ? ' ' : c;
        }
    }
    return {};
}

QueryStringResult query_error(std::string message) {
    return QueryStringResult{{}, std::move(message)};
}

}  // namespace

QueryStringResult parse_query_string(std::string_view target) {
    QueryStringResult result;
    const auto question = target.find('?');
    if (question == std::string_view::npos) return result;
    std::string_view rest = target.substr(question + 1);

    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view piece = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (piece.empty()) continue;

        const auto equals = piece.find('=');
        const std::string_view raw_name = piece.substr(0, equals);
        const std::string_view raw_value =
            equals == std::string_view::npos ? std::string_view{} : piece.substr(equals + 1);
        if (raw_name.empty()) {
            return query_error("query parameter " + quoted_excerpt(piece) + " has no name");
        }
        std::string name;
        std::string value;
        std::string problem = decode(raw_name, true, name);
        if (problem.empty()) problem = decode(raw_value, true, value);
        if (!problem.empty()) {
            return query_error("query parameter " + quoted_excerpt(piece) + ": " + problem);
        }
        if (!result.parameters.emplace(std::move(name), std::move(value)).second) {
            return query_error("query parameter " + quoted_excerpt(raw_name) +
                               " is given more than once");
        }
    }
    return result;
}

PercentDecoded percent_decode(std::string_view text) {
    PercentDecoded result;
    result.error = decode(text, false, result.value);
    if (!result.ok()) result.value.clear();
    return result;
}

}  // namespace backupd::api
