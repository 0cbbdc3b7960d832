// GET /api/v1/logs (and GET /logs): audit records by date, each call audited as `Get Log`.
#include <memory>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/date_range.hpp"
#include "backupd/api/json.hpp"
#include "request_checks.hpp"

namespace backupd::api {
namespace {

constexpr std::int64_t kMaxPage = 1000;
constexpr std::size_t kStreamBatch = 500;

struct LogRequest {
    core::AuditQuery query;
    bool paged = false;     // limit or cursor given: one page and a cursor
    std::string described;  // for the audit record
    std::string error;
};

LogRequest read_log_request(const HttpRequest& request) {
    LogRequest out;
    const auto query = detail::read_query(
        request, {"from", "to", "start", "end", "action", "status", "limit", "cursor"});
    if (!query.error.empty()) return {{}, false, {}, query.error};
    const auto from = query.get("from"), start = query.get("start");
    const auto to = query.get("to"), end = query.get("end");
    if (from && start) return {{}, false, {}, "give from or its alias start, not both"};
    if (to && end) return {{}, false, {}, "give to or its alias end, not both"};
    const auto range =
        parse_date_range(from ? from : start, to ? to : end,
                         BoundNames{from || !start ? "from" : "start", to || !end ? "to" : "end"});
    if (!range.ok()) return {{}, false, {}, range.error};
    out.query.range = range.range;
    if (range.range) {
        out.described = "from " + core::format_rfc3339(range.range->from) + " to " +
                        core::format_rfc3339(range.range->to);
    }
    if (const auto action = query.get("action")) {
        out.query.action = core::parse_audit_action(*action);
        if (!out.query.action)
            return {{}, false, {}, "action must be Backup, Get Log or Get Stats"};
        out.described +=
            (out.described.empty() ? "" : ", ") + std::string("action ") + std::string(*action);
    }
    if (const auto status = query.get("status")) {
        out.query.status = core::parse_audit_status(*status);
        if (!out.query.status) return {{}, false, {}, "status must be SUCCESS or FAILED"};
        out.described +=
            (out.described.empty() ? "" : ", ") + std::string("status ") + std::string(*status);
    }
    if (const auto limit = query.get("limit")) {
        const auto value = detail::read_number(*limit, 1, kMaxPage);
        if (!value) return {{}, false, {}, "limit must be a whole number from 1 to 1000"};
        out.query.limit = static_cast<std::size_t>(*value);
        out.paged = true;
    }
    if (const auto cursor = query.get("cursor")) {
        out.query.after = core::decode_cursor(*cursor);
        if (!out.query.after) return {{}, false, {}, "cursor must be the 'next' value of a page"};
        out.paged = true;
    }
    if (out.described.empty()) out.described = "all records";
    return out;
}

// Every matching record, a batch at a time as the client reads: memory stays flat.
HttpResponse stream_records(core::AuditLog& audit, core::AuditQuery query) {
    struct Cursor {
        core::AuditQuery query;
        bool first = true;
        bool done = false;
    };
    auto cursor = std::make_shared<Cursor>();
    cursor->query = query;
    cursor->query.limit = kStreamBatch;
    HttpResponse response;
    response.body = R"({"logs":[)";
    response.next_chunk = [&audit, cursor]() -> std::optional<std::string> {
        if (cursor->done) return std::nullopt;
        const auto page = audit.page(cursor->query);
        std::string chunk = audit_records_json(page.records, cursor->first);
        cursor->first = cursor->first && page.records.empty();
        if (page.next) {
            cursor->query.after = page.next;
        } else {
            cursor->done = true;
            chunk += R"(],"next":null})";
        }
        return chunk;
    };
    return response;
}

HttpResponse logs(const ApiServices& services, const HttpRequest& request) {
    core::NewAuditRecord record;
    record.action = core::AuditAction::get_log;
    record.client_address = request.client_address;
    const LogRequest wanted = read_log_request(request);
    if (!wanted.error.empty()) {
        record.status = core::AuditStatus::failed;
        record.message = wanted.error;
        services.audit.append(record);
        return error_response(core::ErrorCode::invalid_request, wanted.error);
    }
    record.message = wanted.described;
    services.audit.append(record);
    if (!wanted.paged) return stream_records(services.audit, wanted.query);
    HttpResponse response;
    response.body = audit_page_json(services.audit.page(wanted.query));
    return response;
}

}  // namespace

void add_log_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    for (const char* path : {"/api/v1/logs", "/logs"})
        router.add("GET", path, [s](const HttpRequest& r) { return logs(*s, r); });
}

}  // namespace backupd::api
