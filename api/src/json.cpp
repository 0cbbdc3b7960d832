#include "backupd/api/json.hpp"

#include <set>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "backupd/core/utf8.hpp"
#include "json_reader.hpp"
#include "json_writer.hpp"

namespace backupd::api {
namespace {

using detail::parse_object;

using detail::cursor_text;
using detail::page_json;
using detail::text_of;
using detail::write_count;
using detail::write_manifest;
using detail::write_optional;
using detail::write_string;
using detail::write_time;
using detail::Writer;

void write_error_object(Writer& writer, std::string_view code, std::string_view message) {
    writer.StartObject();
    writer.Key("code");
    write_string(writer, code);
    writer.Key("message");
    write_string(writer, message);
    writer.EndObject();
}

void write_strings(Writer& writer, const std::vector<std::string>& texts) {
    writer.StartArray();
    for (const auto& text : texts) write_string(writer, text);
    writer.EndArray();
}

void write_restore(Writer& writer, const core::RestoreSpec& restore) {
    writer.StartObject();
    writer.Key("paths");
    write_strings(writer, restore.paths);
    writer.Key("target");
    write_string(writer, restore.target);
    writer.Key("overwrite");
    write_string(writer, core::to_string(restore.overwrite));
    writer.Key("in_place");
    writer.Bool(restore.in_place);
    writer.EndObject();
}

void write_prune(Writer& writer, const core::PruneReport& report) {
    writer.StartObject();
    writer.Key("removed");
    writer.Int64(report.removed);
    writer.Key("kept");
    writer.Int64(report.kept);
    writer.EndObject();
}

void write_verify(Writer& writer, const core::VerifyReport& report) {
    writer.StartObject();
    const std::pair<const char*, std::int64_t> counts[] = {{"checked", report.checked},
                                                           {"mismatched", report.mismatched},
                                                           {"missing", report.missing},
                                                           {"extra", report.extra}};
    for (const auto& [name, value] : counts) {
        writer.Key(name);
        writer.Int64(value);
    }
    writer.Key("paths");
    write_strings(writer, report.paths);
    writer.EndObject();
}

// The fields of restore, verify and prune jobs (and a backup's manifest), present only when set.
void write_kind_fields(Writer& writer, const core::Job& job) {
    if (job.snapshot_id) {
        writer.Key("snapshot_id");
        writer.Int64(*job.snapshot_id);
    }
    if (job.restore) {
        writer.Key("restore");
        write_restore(writer, *job.restore);
    }
    if (job.verify) {
        writer.Key("verify");
        write_verify(writer, *job.verify);
    }
    if (job.manifest) {
        writer.Key("manifest");
        write_manifest(writer, job.manifest);
    }
    if (job.prune) {
        writer.Key("prune");
        write_prune(writer, *job.prune);
    }
}

void write_job(Writer& writer, const core::Job& job) {
    writer.StartObject();
    writer.Key("id");
    writer.Int64(job.id);
    writer.Key("kind");
    write_string(writer, core::to_string(job.kind));
    writer.Key("folder");
    write_string(writer, job.folder);
    writer.Key("state");
    write_string(writer, core::to_string(job.state));
    writer.Key("attempt");
    writer.Int(job.attempt);
    writer.Key("max_attempts");
    writer.Int(job.max_attempts);
    writer.Key("submitted_at");
    write_time(writer, job.submitted_at);
    writer.Key("started_at");
    write_time(writer, job.started_at);
    writer.Key("finished_at");
    write_time(writer, job.finished_at);
    writer.Key("heartbeat_at");
    write_time(writer, job.heartbeat_at);
    writer.Key("retry_at");
    write_time(writer, job.retry_at);
    writer.Key("files_copied");
    writer.Int64(job.progress.files_copied);
    writer.Key("files_linked");
    writer.Int64(job.progress.files_linked);
    writer.Key("bytes_copied");
    writer.Int64(job.progress.bytes_copied);
    writer.Key("files_total");
    write_count(writer, job.progress.files_total);
    writer.Key("bytes_total");
    write_count(writer, job.progress.bytes_total);
    writer.Key("snapshot");
    write_optional(writer, job.snapshot);
    write_kind_fields(writer, job);
    writer.Key("error");
    if (job.error) {
        write_error_object(writer, core::to_string(job.error->code), job.error->message);
    } else {
        writer.Null();
    }
    writer.Key("batch_id");
    write_optional(writer, job.batch_id);
    writer.Key("node");
    write_optional(writer, job.node);
    writer.Key("plan");
    write_optional(writer, job.plan);
    writer.Key("scheduled_for");
    write_time(writer, job.scheduled_for);
    writer.EndObject();
}

// The members of a JobCounts, in the case study's order.
void write_counts(Writer& writer, const core::JobCounts& counts) {
    const std::pair<const char*, std::int64_t> values[] = {
        {"total", counts.total},     {"succeeded", counts.succeeded},
        {"failed", counts.failed},   {"queued", counts.queued},
        {"running", counts.running}, {"cancelled", counts.cancelled}};
    for (const auto& [name, value] : values) {
        writer.Key(name);
        writer.Int64(value);
    }
}

void write_record(Writer& writer, const core::AuditRecord& record) {
    writer.StartObject();
    writer.Key("id");
    writer.Int64(record.id);
    writer.Key("at");
    write_string(writer, core::format_rfc3339(record.at));
    writer.Key("action");
    write_string(writer, core::to_string(record.action));
    writer.Key("status");
    write_string(writer, core::to_string(record.status));
    writer.Key("folder");
    write_optional(writer, record.folder);
    writer.Key("job_id");
    if (record.job_id) {
        writer.Int64(*record.job_id);
    } else {
        writer.Null();
    }
    writer.Key("message");
    write_string(writer, record.message);
    writer.Key("client_address");
    write_optional(writer, record.client_address);
    writer.EndObject();
}

}  // namespace

HttpResponse error_response(core::ErrorCode code, std::string_view message) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("error");
    write_error_object(writer, core::to_string(code), message);
    writer.EndObject();
    HttpResponse response;
    response.status = core::http_status(code);
    response.body = text_of(buffer);
    return response;
}

HttpResponse error_response(const core::JobError& error, const core::Job& job,
                            std::optional<int> status) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("error");
    write_error_object(writer, core::to_string(error.code), error.message);
    writer.Key("job");
    write_job(writer, job);
    writer.EndObject();
    HttpResponse response;
    response.status = status.value_or(core::http_status(error.code));
    response.body = text_of(buffer);
    return response;
}

HttpResponse error_response(core::ErrorCode code) {
    return error_response(code, core::message_for(code));
}

std::string status_body(std::string_view status) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("status");
    write_string(writer, status);
    writer.EndObject();
    return text_of(buffer);
}

std::string job_json(const core::Job& job) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    write_job(writer, job);
    return text_of(buffer);
}

std::string job_page_json(const core::JobPage& page) {
    return page_json("jobs", page.jobs, cursor_text(page.next), write_job);
}

std::string batch_json(std::string_view batch_id, const std::vector<core::Job>& jobs) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("batch_id");
    write_string(writer, batch_id);
    writer.Key("jobs");
    writer.StartArray();
    for (const auto& job : jobs) write_job(writer, job);
    writer.EndArray();
    writer.EndObject();
    return text_of(buffer);
}

std::string stats_json(const core::Stats& stats) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    write_counts(writer, stats);
    writer.Key("bytes_copied");
    writer.Int64(stats.bytes_copied);
    for (const auto& [name, counts] :
         {std::pair{"restores", &stats.restores}, std::pair{"verifies", &stats.verifies},
          std::pair{"prunes", &stats.prunes}}) {
        writer.Key(name);
        writer.StartObject();
        write_counts(writer, *counts);
        writer.EndObject();
    }
    writer.EndObject();
    return text_of(buffer);
}

std::string daily_stats_json(const core::DailyStatsQuery& query,
                             const std::vector<core::DayCounts>& days) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("from");
    write_string(writer, core::format_day(query.from));
    writer.Key("to");
    write_string(writer, core::format_day(query.to));
    writer.Key("kind");
    write_string(writer, core::to_string(query.kind));
    writer.Key("days");
    writer.StartArray();
    for (const core::DayCounts& day : days) {
        writer.StartObject();
        writer.Key("date");
        write_string(writer, core::format_day(day.day));
        writer.Key("succeeded");
        writer.Int64(day.succeeded);
        writer.Key("failed");
        writer.Int64(day.failed);
        writer.Key("cancelled");
        writer.Int64(day.cancelled);
        writer.Key("bytes_copied");
        writer.Int64(day.bytes_copied);
        writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
    return text_of(buffer);
}

std::string audit_page_json(const core::AuditPage& page) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("logs");
    writer.StartArray();
    for (const auto& record : page.records) write_record(writer, record);
    writer.EndArray();
    writer.Key("next");
    if (page.next) {
        write_string(writer, core::encode_cursor(*page.next));
    } else {
        writer.Null();
    }
    writer.EndObject();
    return text_of(buffer);
}

std::string audit_records_json(std::span<const core::AuditRecord> records, bool first) {
    std::string out;
    for (const auto& record : records) {
        if (!first || !out.empty()) out += ',';
        rapidjson::StringBuffer buffer;
        Writer writer(buffer);
        write_record(writer, record);
        out.append(buffer.GetString(), buffer.GetSize());
    }
    return out;
}

ParsedBackupRequest parse_backup_request(std::string_view body) {
    ParsedBackupRequest parsed;
    rapidjson::Document document;
    if (auto refused = parse_object(body, document, R"({"folder": "..."} or {"folders": [...]})")) {
        parsed.error = std::move(*refused);
        return parsed;
    }
    std::set<std::string_view> seen;
    // An iterator loop with <: clang in C++20 mode finds RapidJSON's iterator != ambiguous.
    const auto object = document.GetObject();
    for (auto it = object.MemberBegin(); it < object.MemberEnd(); ++it) {
        const auto& member = *it;
        const std::string_view name(member.name.GetString(), member.name.GetStringLength());
        if (!seen.insert(name).second) {
            parsed.error = "the field '" + std::string(name) + "' appears twice";
            return parsed;
        }
        if (name != "folder" && name != "folders") {
            parsed.error = "unknown field '" + core::to_valid_utf8(name, 64) +
                           "': expected \"folder\" or \"folders\"";
            return parsed;
        }
    }
    if (seen.size() != 1) {
        parsed.error = R"(give exactly one of "folder" (a string) or "folders" (an array))";
        return parsed;
    }
    if (document.HasMember("folder")) {
        const auto& folder = document["folder"];
        if (!folder.IsString()) {
            parsed.error = R"("folder" must be a string)";
            return parsed;
        }
        parsed.request.folders.emplace_back(folder.GetString(), folder.GetStringLength());
        return parsed;
    }
    const auto& folders = document["folders"];
    if (!folders.IsArray() || folders.Empty() || folders.Size() > kMaxBatch) {
        parsed.error = R"("folders" must be an array of 1 to 1000 strings)";
        return parsed;
    }
    parsed.request.batch = true;
    for (const auto& folder : folders.GetArray()) {
        if (!folder.IsString()) {
            parsed.error = R"(every item of "folders" must be a string)";
            parsed.request.folders.clear();
            return parsed;
        }
        parsed.request.folders.emplace_back(folder.GetString(), folder.GetStringLength());
    }
    return parsed;
}

}  // namespace backupd::api
