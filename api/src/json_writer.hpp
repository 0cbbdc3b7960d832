#pragma once
// Writing JSON values shared by the codec's files (internal to the api library): text as valid
// UTF-8, optional values as null, times as RFC 3339.

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "backupd/core/job.hpp"
#include "backupd/core/time.hpp"
#include "backupd/core/utf8.hpp"

namespace backupd::api::detail {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(Writer& writer, std::string_view text) {
    if (core::is_valid_utf8(text)) {
        writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
        return;
    }
    const std::string valid = core::to_valid_utf8(text);
    writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

inline void write_optional(Writer& writer, const std::optional<std::string>& text) {
    if (text) {
        write_string(writer, *text);
    } else {
        writer.Null();
    }
}

inline void write_time(Writer& writer, const std::optional<core::Timestamp>& at) {
    if (at) {
        write_string(writer, core::format_rfc3339(*at));
    } else {
        writer.Null();
    }
}

inline void write_count(Writer& writer, const std::optional<std::int64_t>& value) {
    if (value) {
        writer.Int64(*value);
    } else {
        writer.Null();
    }
}

// {"algorithm", "digest"}, or null for a snapshot made before manifests.
inline void write_manifest(Writer& writer, const std::optional<core::ManifestSummary>& manifest) {
    if (!manifest) {
        writer.Null();
        return;
    }
    writer.StartObject();
    writer.Key("algorithm");
    write_string(writer, manifest->algorithm);
    writer.Key("digest");
    write_string(writer, manifest->digest);
    writer.EndObject();
}

inline std::string text_of(const rapidjson::StringBuffer& buffer) {
    return std::string(buffer.GetString(), buffer.GetSize());
}

// The shape of every keyset page: {"<key>": [item, ...], "next": "<cursor>" | null}.
template <typename Items, typename WriteItem>
std::string page_json(std::string_view key, const Items& items,
                      const std::optional<std::string>& next, WriteItem write_item) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    writer.StartArray();
    for (const auto& item : items) write_item(writer, item);
    writer.EndArray();
    writer.Key("next");
    write_optional(writer, next);
    writer.EndObject();
    return text_of(buffer);
}

// A numeric keyset cursor as the API writes it: a string, so clients treat it as opaque.
inline std::optional<std::string> cursor_text(const std::optional<std::int64_t>& next) {
    if (!next) return std::nullopt;
    return std::to_string(*next);
}

}  // namespace backupd::api::detail
