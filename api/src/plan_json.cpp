#include "backupd/api/plan_json.hpp"

#include <array>
#include <set>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "json_reader.hpp"
#include "json_writer.hpp"

namespace backupd::api {
namespace {

using detail::parse_object;

using detail::text_of;
using detail::write_string;
using detail::write_time;
using detail::Writer;
using Value = rapidjson::Value;

// The count rules of a retention, in the documented order.
std::array<std::pair<const char*, std::optional<std::int64_t>*>, 6> counts_of(
    core::Retention& retention) {
    return {{{"keep_last", &retention.keep_last},
             {"keep_hourly", &retention.keep_hourly},
             {"keep_daily", &retention.keep_daily},
             {"keep_weekly", &retention.keep_weekly},
             {"keep_monthly", &retention.keep_monthly},
             {"keep_yearly", &retention.keep_yearly}}};
}

void write_retention(Writer& writer, core::Retention retention) {
    writer.StartObject();
    for (const auto& [name, value] : counts_of(retention)) {
        if (!*value) continue;
        writer.Key(name);
        writer.Int64(**value);
    }
    if (retention.keep_within) {
        writer.Key("keep_within");
        write_string(writer, *retention.keep_within);
    }
    writer.EndObject();
}

void write_last_run(Writer& writer, const std::optional<core::PlanRun>& run) {
    if (!run) {
        writer.Null();
        return;
    }
    writer.StartObject();
    writer.Key("job_id");
    writer.Int64(run->job_id);
    writer.Key("state");
    write_string(writer, core::to_string(run->state));
    writer.Key("at");
    write_time(writer, run->at);
    writer.EndObject();
}

void write_plan(Writer& writer, const core::Plan& plan) {
    const core::PlanSpec& spec = plan.spec;
    writer.StartObject();
    writer.Key("name");
    write_string(writer, spec.name);
    writer.Key("folder");
    write_string(writer, spec.folder);
    writer.Key("schedule");
    write_string(writer, spec.schedule);
    writer.Key("time_zone");
    write_string(writer, spec.time_zone);
    writer.Key("retention");
    write_retention(writer, spec.retention);
    writer.Key("enabled");
    writer.Bool(spec.enabled);
    writer.Key("created_at");
    write_time(writer, plan.created_at);
    writer.Key("updated_at");
    write_time(writer, plan.updated_at);
    writer.Key("next_run_at");
    write_time(writer, plan.next_run_at);
    writer.Key("last_run");
    write_last_run(writer, plan.last_run);
    writer.Key("last_success_at");
    write_time(writer, plan.last_success_at);
    writer.Key("snapshots");
    writer.Int64(plan.snapshots);
    writer.Key("runs_skipped");
    writer.Int64(plan.runs_skipped);
    writer.EndObject();
}

void write_decision(Writer& writer, const core::RetentionDecision& decision) {
    writer.StartObject();
    writer.Key("id");
    writer.Int64(decision.id);
    writer.Key("name");
    write_string(writer, decision.name);
    writer.Key("keep");
    writer.Bool(decision.keep);
    writer.Key("reasons");
    writer.StartArray();
    for (const auto& reason : decision.reasons) write_string(writer, reason);
    writer.EndArray();
    writer.EndObject();
}

std::string quoted(std::string_view name) {
    return "'" + core::to_valid_utf8(name, 64) + "'";
}

// Reads the "retention" object into `retention`; the reason it is wrong, or "".
std::string read_retention(const Value& value, core::Retention& retention) {
    if (!value.IsObject()) return R"("retention" must be an object such as {"keep_last": 3})";
    std::set<std::string_view> seen;
    const auto object = value.GetObject();
    // An iterator loop with <: clang in C++20 mode finds RapidJSON's iterator != ambiguous.
    for (auto it = object.MemberBegin(); it < object.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (!seen.insert(name).second)
            return "the field 'retention." + core::to_valid_utf8(name, 64) + "' appears twice";
        bool known = false;
        for (const auto& [rule, target] : counts_of(retention)) {
            if (name != rule) continue;
            known = true;
            // IsInt64 is false for 3.5, 3.0, "3" and numbers beyond 64 bits.
            if (!it->value.IsInt64() || it->value.GetInt64() < 0)
                return std::string("retention.") + rule + " must be a whole number >= 0";
            *target = it->value.GetInt64();
        }
        if (known) continue;
        if (name != "keep_within") {
            return "unknown field 'retention." + core::to_valid_utf8(name, 64) +
                   "': expected keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, "
                   "keep_yearly or keep_within";
        }
        if (!it->value.IsString())
            return R"(retention.keep_within must be a duration as a string, such as "48h")";
        retention.keep_within = std::string(it->value.GetString(), it->value.GetStringLength());
    }
    return "";
}

// Reads one top-level field into `parsed`; the reason it is wrong, or "".
std::string read_field(std::string_view name, const Value& value, ParsedPlanRequest& parsed) {
    core::PlanSpec& spec = parsed.spec;
    const auto text = [&](std::string& out) -> std::string {
        if (!value.IsString()) return "\"" + std::string(name) + "\" must be a string";
        out = std::string(value.GetString(), value.GetStringLength());
        return "";
    };
    if (name == "name") {
        parsed.has_name = true;
        return text(spec.name);
    }
    if (name == "folder") return text(spec.folder);
    if (name == "schedule") return text(spec.schedule);
    if (name == "time_zone") return text(spec.time_zone);
    if (name == "retention") return read_retention(value, spec.retention);
    if (name == "enabled") {
        if (!value.IsBool()) return R"("enabled" must be true or false)";
        spec.enabled = value.GetBool();
        return "";
    }
    return "unknown field " + quoted(name) +
           ": expected name, folder, schedule, time_zone, retention or enabled";
}

}  // namespace

std::string plan_json(const core::Plan& plan) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    write_plan(writer, plan);
    return text_of(buffer);
}

std::string plan_list_json(const std::vector<core::Plan>& plans) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("plans");
    writer.StartArray();
    for (const auto& plan : plans) write_plan(writer, plan);
    writer.EndArray();
    writer.EndObject();
    return text_of(buffer);
}

std::string prune_preview_json(const core::Plan& plan,
                               const std::vector<core::RetentionDecision>& decisions) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("plan");
    write_string(writer, plan.spec.name);
    writer.Key("folder");
    write_string(writer, plan.spec.folder);
    writer.Key("snapshots");
    writer.StartArray();
    for (const auto& decision : decisions) write_decision(writer, decision);
    writer.EndArray();
    writer.EndObject();
    return text_of(buffer);
}

ParsedPlanRequest parse_plan_request(std::string_view body) {
    ParsedPlanRequest parsed;
    rapidjson::Document document;
    if (auto refused = parse_object(
            body, document,
            R"({"name": "photos-nightly", "folder": "photos", "schedule": "0 3 * * *"})")) {
        parsed.error = std::move(*refused);
        return parsed;
    }
    std::set<std::string_view> seen;
    const auto object = document.GetObject();
    for (auto it = object.MemberBegin(); it < object.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (!seen.insert(name).second) {
            parsed.error = "the field " + quoted(name) + " appears twice";
        } else {
            parsed.error = read_field(name, it->value, parsed);
        }
        if (!parsed.ok()) return parsed;
    }
    for (const char* required : {"folder", "schedule"}) {
        if (!seen.contains(required)) {
            parsed.error = "\"" + std::string(required) + "\" is required";
            return parsed;
        }
    }
    return parsed;
}

}  // namespace backupd::api
