// plans, plan show|create|delete|run|prune.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "commands.hpp"

namespace backupd::cli {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string plan_path(const std::string& name) {
    return "/api/v1/plans/" + url_encode(name);
}

std::string last_run(const rapidjson::Value& plan) {
    if (!plan.HasMember("last_run") || !plan["last_run"].IsObject()) return "-";
    const auto& run = plan["last_run"];
    return "job " + text_of(run, "job_id") + " " + text_of(run, "state") + " " + text_of(run, "at");
}

ExitStatus plans(const Invocation&, Context& context) {
    return answer(
        context, context.client.request("GET", "/api/v1/plans"), [&](const auto& document) {
            std::vector<std::vector<std::string>> rows{{"NAME", "FOLDER", "SCHEDULE", "TIME ZONE",
                                                        "ENABLED", "NEXT RUN", "LAST RUN",
                                                        "LAST SUCCESS", "SNAPSHOTS"}};
            if (document.HasMember("plans")) {
                for (const auto& plan : array_of(document, "plans").GetArray()) {
                    rows.push_back({text_of(plan, "name"), text_of(plan, "folder"),
                                    text_of(plan, "schedule"), text_of(plan, "time_zone"),
                                    text_of(plan, "enabled"), text_of(plan, "next_run_at"),
                                    last_run(plan), text_of(plan, "last_success_at"),
                                    text_of(plan, "snapshots")});
                }
            }
            print_table(context.out, rows);
        });
}

ExitStatus show(const Invocation& invocation, Context& context) {
    return answer(context, context.client.request("GET", plan_path(invocation.args[0])),
                  [&](const auto& document) { print_fields(context.out, document); });
}

std::int64_t parse_count(const std::string& option, const std::string& text) {
    std::size_t used = 0;
    long long value = -1;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || value < 0 || text[0] == '+') {
        throw UsageError("--" + option + " must be a whole number of 0 or more, not '" + text +
                         "'");
    }
    return value;
}

std::string plan_body(const Invocation& invocation) {
    const auto folder = invocation.value("folder");
    const auto schedule = invocation.value("schedule");
    if (!folder) throw UsageError("plan create needs --folder F (see backupctl help plan create)");
    if (!schedule)
        throw UsageError("plan create needs --schedule S (see backupctl help plan create)");
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    const auto string = [&](const std::string& text) {
        writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    };
    writer.StartObject();
    writer.Key("name");
    string(invocation.args[0]);
    writer.Key("folder");
    string(*folder);
    writer.Key("schedule");
    string(*schedule);
    if (const auto zone = invocation.value("time-zone")) {
        writer.Key("time_zone");
        string(*zone);
    }
    writer.Key("retention");
    writer.StartObject();
    for (const char* period : {"last", "hourly", "daily", "weekly", "monthly", "yearly"}) {
        const std::string option = std::string{"keep-"} + period;
        if (const auto value = invocation.value(option)) {
            writer.Key((std::string{"keep_"} + period).c_str());
            writer.Int64(parse_count(option, *value));
        }
    }
    if (const auto within = invocation.value("keep-within")) {
        writer.Key("keep_within");
        string(*within);
    }
    writer.EndObject();
    writer.Key("enabled");
    writer.Bool(!invocation.has("disabled"));
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

ExitStatus create(const Invocation& invocation, Context& context) {
    const auto body = plan_body(invocation);
    return answer(context, context.client.request("POST", "/api/v1/plans", body),
                  [&](const auto& document) {
                      context.out << "plan " << text_of(document, "name") << " created; next run "
                                  << text_of(document, "next_run_at") << '\n';
                  });
}

ExitStatus remove(const Invocation& invocation, Context& context) {
    const auto response = context.client.request("DELETE", plan_path(invocation.args[0]));
    if (response.status != 204 && response.status != 200) return report_refusal(context, response);
    if (context.json) {
        context.out << "{}\n";
    } else {
        context.out << "plan " << invocation.args[0] << " deleted\n";
    }
    return ExitStatus::success;
}

// An accepted job: printed, or waited for with --wait.
ExitStatus job_started(const Invocation& invocation, Context& context,
                       const HttpResponse& response) {
    if (response.status != 202) return report_refusal(context, response);
    const auto job = parse_json(response.body);
    if (invocation.has("wait")) return wait_for_jobs(context, {int_of(job, "id")});
    return answer(context, response, [&](const auto& document) {
        context.out << "job " << text_of(document, "id") << " " << text_of(document, "kind") << " "
                    << text_of(document, "folder") << ": " << text_of(document, "state") << '\n';
    });
}

ExitStatus run(const Invocation& invocation, Context& context) {
    return job_started(invocation, context,
                       context.client.request("POST", plan_path(invocation.args[0]) + "/run"));
}

ExitStatus prune(const Invocation& invocation, Context& context) {
    if (!invocation.has("dry-run")) {
        return job_started(
            invocation, context,
            context.client.request("POST", plan_path(invocation.args[0]) + "/prune"));
    }
    const auto response =
        context.client.request("POST", plan_path(invocation.args[0]) + "/prune?dry_run=true");
    return answer(context, response, [&](const auto& document) {
        std::vector<std::vector<std::string>> rows{{"ID", "NAME", "DECISION", "REASONS"}};
        if (document.HasMember("snapshots")) {
            for (const auto& snapshot : array_of(document, "snapshots").GetArray()) {
                std::string reasons;
                if (snapshot.HasMember("reasons") && snapshot["reasons"].IsArray()) {
                    for (const auto& reason : array_of(snapshot, "reasons").GetArray()) {
                        if (!reason.IsString()) continue;
                        reasons += (reasons.empty() ? "" : ", ") + std::string{reason.GetString()};
                    }
                }
                const bool keep = snapshot.HasMember("keep") && snapshot["keep"].IsTrue();
                rows.push_back({text_of(snapshot, "id"), text_of(snapshot, "name"),
                                keep ? "keep" : "remove", reasons.empty() ? "-" : reasons});
            }
        }
        print_table(context.out, rows);
    });
}

}  // namespace

ExitStatus run_plan_command(const Invocation& invocation, Context& context) {
    const auto& command = invocation.command;
    if (command == "plans") return plans(invocation, context);
    if (command == "plan show") return show(invocation, context);
    if (command == "plan create") return create(invocation, context);
    if (command == "plan delete") return remove(invocation, context);
    if (command == "plan run") return run(invocation, context);
    return prune(invocation, context);
}

}  // namespace backupd::cli
