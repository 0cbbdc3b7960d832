#pragma once
// Reading request bodies, shared by the codec's files (internal to the api library).

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace backupd::api::detail {

// Parses `body` (UTF-8 validated) into `document` and requires a JSON object. nullopt when it
// is one; otherwise the client's message: the parse error and its byte offset, or "the body
// must be a JSON object such as <example>".
inline std::optional<std::string> parse_object(std::string_view body, rapidjson::Document& document,
                                               std::string_view example) {
    document.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
    if (document.HasParseError()) {
        return std::string("the body is not valid JSON: ") +
               rapidjson::GetParseError_En(document.GetParseError()) + " (at byte " +
               std::to_string(document.GetErrorOffset()) + ")";
    }
    if (!document.IsObject())
        return "the body must be a JSON object such as " + std::string(example);
    return std::nullopt;
}

}  // namespace backupd::api::detail
