#pragma once
// Checks shared by the handlers (internal): query parameters, numbers, content types.

#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "backupd/api/http_message.hpp"
#include "backupd/api/query_string.hpp"

namespace backupd::api::detail {

// The query of `request`, or why it is unacceptable: malformed, or naming a parameter not in
// `allowed`.
struct Query {
    QueryParameters parameters;
    std::string error;

    std::optional<std::string_view> get(std::string_view name) const {
        const auto found = parameters.find(name);
        if (found == parameters.end()) return std::nullopt;
        return std::string_view(found->second);
    }
};

inline Query read_query(const HttpRequest& request,
                        std::initializer_list<std::string_view> allowed) {
    auto parsed = parse_query_string(request.target);
    if (!parsed.ok()) return {{}, parsed.error};
    for (const auto& [name, value] : parsed.parameters) {
        bool known = false;
        for (const auto candidate : allowed) known = known || candidate == name;
        if (!known) {
            std::string list;
            for (const auto candidate : allowed)
                list += (list.empty() ? "" : ", ") + std::string(candidate);
            return {
                {},
                "unknown parameter '" + name.substr(0, 64) + "'" +
                    (list.empty() ? std::string(": this route takes none") : "; expected " + list)};
        }
    }
    return {std::move(parsed.parameters), {}};
}

// A whole number in [min, max], or nullopt.
inline std::optional<std::int64_t> read_number(std::string_view text, std::int64_t min,
                                               std::int64_t max) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < min ||
        value > max) {
        return std::nullopt;
    }
    return value;
}

// Paging of every list: ?limit=1..1000 (default 100) and a cursor from a previous page.
inline constexpr std::int64_t kMaxListLimit = 1000;
inline constexpr std::size_t kDefaultListLimit = 100;
inline constexpr std::string_view kBadLimit = "limit must be a whole number from 1 to 1000";
inline constexpr std::string_view kBadCursor = "cursor must be the 'next' value of a page";

// ?limit=N, kDefaultListLimit when absent, nullopt when malformed (answer kBadLimit).
inline std::optional<std::size_t> read_limit(const Query& query) {
    const auto text = query.get("limit");
    if (!text) return kDefaultListLimit;
    const auto value = read_number(*text, 1, kMaxListLimit);
    if (!value) return std::nullopt;
    return static_cast<std::size_t>(*value);
}

// application/json, with or without parameters such as charset.
inline bool is_json(std::string_view content_type) {
    const std::string_view media = content_type.substr(0, content_type.find(';'));
    std::string lower;
    for (const char c : media) {
        if (c != ' ' && c != '\t')
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower == "application/json";
}

}  // namespace backupd::api::detail
