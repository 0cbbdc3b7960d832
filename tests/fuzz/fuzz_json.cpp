// Fuzz target: the JSON codec. The bytes are a request body for POST /api/v1/backups,
// /api/v1/plans and /api/v1/restores, and also text written into answers (an error message, a
// job's folder, a directory entry's name). Findings: a crash or sanitizer report, an answer that
// is not a valid UTF-8 JSON object, and an accepted value that does not survive the round trip
// (parsed, written, read back).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "backupd/api/json.hpp"
#include "backupd/api/plan_json.hpp"
#include "backupd/api/snapshot_json.hpp"

namespace {

using namespace backupd;

[[noreturn]] void finding(const char* what, std::string_view json) {
    std::fprintf(stderr, "fuzz_json: %s: %.*s\n", what, static_cast<int>(json.size()), json.data());
    std::abort();
}

// The writer's contract: a JSON object, valid UTF-8 whatever the text put into it.
rapidjson::Document read_back(const std::string& json) {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    if (document.HasParseError() || !document.IsObject()) finding("not a UTF-8 JSON object", json);
    return document;
}

bool member_is(const rapidjson::Value& object, const char* name, std::string_view expected) {
    const auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsString() &&
           std::string_view(found->value.GetString(), found->value.GetStringLength()) == expected;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    // Arbitrary bytes written into answers.
    read_back(api::error_response(core::ErrorCode::bad_request, text).body);
    core::Job job;
    job.folder = text;
    read_back(api::job_json(job));
    core::DirectoryEntry entry{.name = text, .type = core::EntryType::symlink, .target = text};
    read_back(api::directory_page_json({entry}, text));

    // Request bodies; what they accept comes back unchanged.
    const api::ParsedBackupRequest backup = api::parse_backup_request(text);
    if (backup.ok()) {
        if (backup.request.folders.empty()) finding("backup request without a folder", text);
        for (const std::string& folder : backup.request.folders) {
            core::Job queued;
            queued.folder = folder;
            if (!member_is(read_back(api::job_json(queued)), "folder", folder))
                finding("folder changed in the round trip", text);
        }
    }
    const api::ParsedPlanRequest plan = api::parse_plan_request(text);
    if (plan.ok()) {
        core::Plan written;
        written.spec = plan.spec;
        const rapidjson::Document read = read_back(api::plan_json(written));
        if (!member_is(read, "name", plan.spec.name) ||
            !member_is(read, "folder", plan.spec.folder) ||
            !member_is(read, "schedule", plan.spec.schedule) ||
            !member_is(read, "time_zone", plan.spec.time_zone)) {
            finding("plan changed in the round trip", text);
        }
    }
    const api::ParsedRestoreRequest restore = api::parse_restore_request(text);
    if (restore.ok() && (!restore.names_snapshot || restore.request.snapshot <= 0))
        finding("restore request accepted without a snapshot", text);
    return 0;
}
