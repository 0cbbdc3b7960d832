// backup, jobs, show, cancel, logs, stats.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "commands.hpp"

namespace backupd::cli {
namespace {

std::string folders_body(const std::vector<std::string>& folders) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    if (folders.size() == 1) {
        writer.Key("folder");
        writer.String(folders[0].c_str(), static_cast<rapidjson::SizeType>(folders[0].size()));
    } else {
        writer.Key("folders");
        writer.StartArray();
        for (const auto& folder : folders) {
            writer.String(folder.c_str(), static_cast<rapidjson::SizeType>(folder.size()));
        }
        writer.EndArray();
    }
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

// backup FOLDER... [--wait]: one POST; a refused folder is a failed job (exit 1).
ExitStatus backup(const Invocation& invocation, Context& context) {
    const auto response =
        context.client.request("POST", "/api/v1/backups", folders_body(invocation.args));
    const auto document = parse_json(response.body);
    std::vector<std::int64_t> pending;
    ExitStatus status = ExitStatus::success;
    if (invocation.args.size() == 1) {
        if (response.status != 202) return report_refusal(context, response);
        pending.push_back(int_of(document, "id"));
    } else {
        if (response.status != 202 && response.status != 200) {
            return report_refusal(context, response);
        }
        for (const auto& job : array_of(document, "jobs").GetArray()) {
            if (text_of(job, "state") == "failed") {
                context.err << "backupctl: " << text_of(job, "folder")
                            << ": refused: " << text_of(member_of(job, "error"), "message") << '\n';
                status = ExitStatus::failed;
            } else {
                pending.push_back(int_of(job, "id"));
            }
        }
    }
    if (invocation.has("wait") && !pending.empty()) {
        return worst(status, wait_for_jobs(context, pending));
    }
    if (context.json) {
        context.out << response.body << '\n';
    } else if (document.HasMember("jobs")) {
        print_jobs(context.out, document["jobs"]);
    } else {
        rapidjson::Document list;
        list.SetArray();
        list.PushBack(rapidjson::Value(document, list.GetAllocator()), list.GetAllocator());
        print_jobs(context.out, list);
    }
    return status;
}

ExitStatus jobs(const Invocation& invocation, Context& context) {
    const auto target =
        "/api/v1/jobs" + query_string({{"state", invocation.value("state")},
                                       {"kind", invocation.value("kind")},
                                       {"folder", invocation.value("folder")},
                                       {"limit", invocation.value("limit").value_or("50")}});
    return answer(context, context.client.request("GET", target), [&](const auto& document) {
        if (document.HasMember("jobs")) print_jobs(context.out, document["jobs"]);
    });
}

ExitStatus show(const Invocation& invocation, Context& context) {
    const auto id = parse_id(invocation.args[0], "job id");
    return answer(context, context.client.request("GET", "/api/v1/jobs/" + std::to_string(id)),
                  [&](const auto& document) { print_fields(context.out, document); });
}

ExitStatus cancel(const Invocation& invocation, Context& context) {
    const auto id = parse_id(invocation.args[0], "job id");
    return answer(context, context.client.request("DELETE", "/api/v1/jobs/" + std::to_string(id)),
                  [&](const auto& document) {
                      context.out << "job " << id << ": " << text_of(document, "state") << '\n';
                  });
}

ExitStatus logs(const Invocation& invocation, Context& context) {
    const auto target = "/api/v1/logs" + query_string({{"from", invocation.value("from")},
                                                       {"to", invocation.value("to")},
                                                       {"action", invocation.value("action")},
                                                       {"status", invocation.value("status")},
                                                       {"limit", invocation.value("limit")}});
    return answer(context, context.client.request("GET", target), [&](const auto& document) {
        std::vector<std::vector<std::string>> rows{
            {"ID", "AT", "ACTION", "STATUS", "FOLDER", "JOB", "MESSAGE"}};
        if (document.HasMember("logs")) {
            for (const auto& record : array_of(document, "logs").GetArray()) {
                rows.push_back({text_of(record, "id"), text_of(record, "at"),
                                text_of(record, "action"), text_of(record, "status"),
                                text_of(record, "folder"), text_of(record, "job_id"),
                                text_of(record, "message")});
            }
        }
        print_table(context.out, rows);
    });
}

ExitStatus stats(const Invocation&, Context& context) {
    return answer(context, context.client.request("GET", "/api/v1/stats"),
                  [&](const auto& document) { print_fields(context.out, document); });
}

}  // namespace

std::int64_t parse_id(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || value <= 0 || text.empty() || text[0] == '+') {
        throw UsageError("the " + what + " must be a positive whole number, not '" + text + "'");
    }
    return value;
}

void print_jobs(std::ostream& out, const rapidjson::Value& jobs) {
    std::vector<std::vector<std::string>> rows{
        {"ID", "KIND", "FOLDER", "STATE", "FILES", "BYTES", "SUBMITTED", "ERROR"}};
    if (jobs.IsArray()) {
        for (const auto& job : jobs.GetArray()) {
            const std::string error =
                member_of(job, "error").IsObject() ? text_of(member_of(job, "error"), "code") : "";
            rows.push_back(
                {text_of(job, "id"), text_of(job, "kind"), text_of(job, "folder"),
                 text_of(job, "state"),
                 std::to_string(int_of(job, "files_copied") + int_of(job, "files_linked")) + "/" +
                     std::to_string(int_of(job, "files_total")),
                 std::to_string(int_of(job, "bytes_copied")), text_of(job, "submitted_at"), error});
        }
    }
    print_table(out, rows);
}

ExitStatus run_job_command(const Invocation& invocation, Context& context) {
    const auto& command = invocation.command;
    if (command == "backup") return backup(invocation, context);
    if (command == "jobs") return jobs(invocation, context);
    if (command == "show") return show(invocation, context);
    if (command == "cancel") return cancel(invocation, context);
    if (command == "logs") return logs(invocation, context);
    return stats(invocation, context);
}

ExitStatus run_command(const Invocation& invocation, Context& context) {
    const auto& command = invocation.command;
    if (command.starts_with("plan")) return run_plan_command(invocation, context);
    if (command == "snapshots" || command == "ls" || command == "get" || command == "restore" ||
        command == "verify") {
        return run_snapshot_command(invocation, context);
    }
    return run_job_command(invocation, context);
}

}  // namespace backupd::cli
