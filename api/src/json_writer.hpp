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

}  // namespace backupd::api::detail
