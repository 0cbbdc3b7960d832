#pragma once
// Reading request bodies, shared by the codec's files (internal to the api library).

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "backupd/core/utf8.hpp"

namespace backupd::api::detail {

// Whether every string of `value` (member names too) is valid UTF-8. The input is validated, but
// RapidJSON 1.1.0 decodes a \u escape of a lone low surrogate ("\udc00") into the bytes of that
// surrogate, which are not UTF-8 (found by tests/fuzz/fuzz_json): such a name would be queued
// as given yet answered with U+FFFD in its place.
inline bool strings_are_utf8(const rapidjson::Value& value) {
    if (value.IsString()) return core::is_valid_utf8({value.GetString(), value.GetStringLength()});
    if (value.IsArray()) {
        for (const auto& item : value.GetArray()) {
            if (!strings_are_utf8(item)) return false;
        }
    } else if (value.IsObject()) {
        for (const auto& member : value.GetObject()) {
            if (!strings_are_utf8(member.name) || !strings_are_utf8(member.value)) return false;
        }
    }
    return true;
}

// Parses `body` (UTF-8 validated, escapes included) into `document` and requires a JSON object.
// nullopt when it is one; otherwise the client's message: the parse error and its byte offset, or
// "the body must be a JSON object such as <example>".
inline std::optional<std::string> parse_object(std::string_view body, rapidjson::Document& document,
                                               std::string_view example) {
    document.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
    if (document.HasParseError()) {
        return std::string("the body is not valid JSON: ") +
               rapidjson::GetParseError_En(document.GetParseError()) + " (at byte " +
               std::to_string(document.GetErrorOffset()) + ")";
    }
    if (!strings_are_utf8(document))
        return std::string(
            "the body is not valid JSON: a \\u escape encodes an unpaired surrogate");
    if (!document.IsObject())
        return "the body must be a JSON object such as " + std::string(example);
    return std::nullopt;
}

}  // namespace backupd::api::detail
