#include "backupd/api/snapshot_json.hpp"

#include <set>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "json_reader.hpp"
#include "json_writer.hpp"

namespace backupd::api {
namespace {

using detail::parse_object;

using detail::cursor_text;
using detail::page_json;
using detail::text_of;
using detail::write_manifest;
using detail::write_optional;
using detail::write_string;
using detail::write_time;
using detail::Writer;

void write_snapshot(Writer& writer, const core::Snapshot& snapshot) {
    writer.StartObject();
    writer.Key("id");
    writer.Int64(snapshot.id);
    writer.Key("folder");
    write_string(writer, snapshot.folder);
    writer.Key("name");
    write_string(writer, snapshot.name);
    writer.Key("path");
    write_string(writer, snapshot.path);
    writer.Key("created_at");
    write_time(writer, snapshot.created_at);
    const std::pair<const char*, std::int64_t> counts[] = {{"files", snapshot.files},
                                                           {"bytes", snapshot.bytes},
                                                           {"bytes_copied", snapshot.bytes_copied}};
    for (const auto& [name, value] : counts) {
        writer.Key(name);
        writer.Int64(value);
    }
    writer.Key("verify_state");
    write_string(writer, core::to_string(snapshot.verify_state));
    writer.Key("verified_at");
    write_time(writer, snapshot.verified_at);
    writer.Key("manifest");
    write_manifest(writer, snapshot.manifest);
    writer.Key("pinned");
    writer.Bool(snapshot.pinned);
    writer.EndObject();
}

void write_entry(Writer& writer, const core::DirectoryEntry& entry) {
    writer.StartObject();
    writer.Key("name");
    write_string(writer, entry.name);
    writer.Key("type");
    write_string(writer, core::to_string(entry.type));
    writer.Key("size");
    writer.Int64(entry.size);
    writer.Key("mtime");
    write_time(writer, entry.mtime);
    writer.Key("mode");
    writer.Uint(entry.mode);
    writer.Key("target");
    write_optional(writer, entry.target);
    writer.EndObject();
}

using Value = rapidjson::Value;

// Reads one optional field of a restore request into `request`; the reason it is wrong, or "".
std::string read_field(std::string_view name, const Value& value, core::RestoreRequest& request) {
    if (name == "paths") {
        if (!value.IsArray() || value.Size() > kMaxRestorePaths)
            return R"("paths" must be an array of at most 1000 strings)";
        for (const auto& path : value.GetArray()) {
            if (!path.IsString()) return R"(every item of "paths" must be a string)";
            request.paths.emplace_back(path.GetString(), path.GetStringLength());
        }
    } else if (name == "target") {
        if (!value.IsString()) return R"("target" must be a string)";
        request.target = std::string(value.GetString(), value.GetStringLength());
    } else if (name == "overwrite") {
        const auto overwrite =
            value.IsString() ? core::parse_overwrite({value.GetString(), value.GetStringLength()})
                             : std::nullopt;
        if (!overwrite) return R"("overwrite" must be "never", "if-changed" or "always")";
        request.overwrite = overwrite;
    } else if (name == "in_place") {
        if (!value.IsBool()) return R"("in_place" must be true or false)";
        request.in_place = value.GetBool();
    } else if (name != "snapshot") {
        return "unknown field '" + core::to_valid_utf8(name, 64) +
               R"(': expected "snapshot", "paths", "target", "overwrite" or "in_place")";
    }
    return "";
}

}  // namespace

std::string snapshot_json(const core::Snapshot& snapshot) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    write_snapshot(writer, snapshot);
    return text_of(buffer);
}

std::string snapshot_page_json(const core::SnapshotPage& page) {
    return page_json("snapshots", page.snapshots, cursor_text(page.next), write_snapshot);
}

std::string directory_page_json(const std::vector<core::DirectoryEntry>& entries,
                                const std::optional<std::string>& next_cursor) {
    return page_json("entries", entries, next_cursor, write_entry);
}

ParsedRestoreRequest parse_restore_request(std::string_view body) {
    ParsedRestoreRequest parsed;
    rapidjson::Document document;
    if (auto refused = parse_object(body, document, R"({"snapshot": 17})")) {
        parsed.error = std::move(*refused);
        return parsed;
    }
    // HasMember, not FindMember: clang in C++20 mode finds RapidJSON's iterator == ambiguous.
    if (!document.HasMember("snapshot") || !document["snapshot"].IsInt64() ||
        document["snapshot"].GetInt64() < 1) {
        parsed.error = R"("snapshot" is required: a snapshot id, a positive whole number)";
        return parsed;
    }
    parsed.request.snapshot = document["snapshot"].GetInt64();
    parsed.names_snapshot = true;
    std::set<std::string_view> seen;
    // An iterator loop with <: clang in C++20 mode finds RapidJSON's iterator != ambiguous.
    const auto object = document.GetObject();
    for (auto it = object.MemberBegin(); it < object.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (!seen.insert(name).second) {
            parsed.error = "the field '" + core::to_valid_utf8(name, 64) + "' appears twice";
        } else {
            parsed.error = read_field(name, it->value, parsed.request);
        }
        if (!parsed.error.empty()) return parsed;
    }
    return parsed;
}

}  // namespace backupd::api
