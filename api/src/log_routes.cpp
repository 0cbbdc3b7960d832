// GET /api/v1/logs (and GET /logs): audit records by date. The handler reads the query and
// calls core::query_logs, which writes the `Get Log` audit record.
#include <memory>
#include <variant>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/date_range.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/audited_queries.hpp"
#include "request_checks.hpp"

namespace backupd::api {
namespace {

constexpr std::int64_t kMaxPage = 1000;

using LogsRequest = std::variant<core::LogsQuery, core::InvalidRequest>;

core::InvalidRequest invalid(std::string reason) {
    return {std::move(reason)};
}

// "from ... to ..., action Backup, status FAILED" or "all records": for the audit record.
void describe(std::string& described, std::string_view name, std::string_view value) {
    described += (described.empty() ? "" : ", ") + std::string(name) + " " + std::string(value);
}

// The filters beside the date range: action, status, limit, cursor.
std::optional<core::InvalidRequest> read_filters(const detail::Query& query, core::LogsQuery& out) {
    if (const auto action = query.get("action")) {
        out.query.action = core::parse_audit_action(*action);
        if (!out.query.action) return invalid("action must be Backup, Get Log or Get Stats");
        describe(out.described, "action", *action);
    }
    if (const auto status = query.get("status")) {
        out.query.status = core::parse_audit_status(*status);
        if (!out.query.status) return invalid("status must be SUCCESS or FAILED");
        describe(out.described, "status", *status);
    }
    if (const auto limit = query.get("limit")) {
        const auto value = detail::read_number(*limit, 1, kMaxPage);
        if (!value) return invalid("limit must be a whole number from 1 to 1000");
        out.query.limit = static_cast<std::size_t>(*value);
        out.paged = true;
    }
    if (const auto cursor = query.get("cursor")) {
        out.query.after = core::decode_cursor(*cursor);
        if (!out.query.after) return invalid("cursor must be the 'next' value of a page");
        out.paged = true;
    }
    return std::nullopt;
}

LogsRequest read_logs_request(const HttpRequest& request) {
    const auto query = detail::read_query(
        request, {"from", "to", "start", "end", "action", "status", "limit", "cursor"});
    if (!query.error.empty()) return invalid(query.error);
    const auto from = query.get("from"), start = query.get("start");
    const auto to = query.get("to"), end = query.get("end");
    if (from && start) return invalid("give from or its alias start, not both");
    if (to && end) return invalid("give to or its alias end, not both");
    const auto range =
        parse_date_range(from ? from : start, to ? to : end,
                         BoundNames{from || !start ? "from" : "start", to || !end ? "to" : "end"});
    if (!range.ok()) return invalid(range.error);
    core::LogsQuery out;
    out.query.range = range.range;
    if (range.range) {
        out.described = "from " + core::format_rfc3339(range.range->from) + " to " +
                        core::format_rfc3339(range.range->to);
    }
    if (auto error = read_filters(query, out)) return std::move(*error);
    if (out.described.empty()) out.described = "all records";
    return out;
}

// Every matching record, a batch at a time as the client reads: memory stays flat. The server
// may copy `next_chunk` between calls, so its state is shared, not captured by value.
HttpResponse stream_records(std::shared_ptr<core::AuditBatches> batches) {
    struct Stream {
        std::shared_ptr<core::AuditBatches> batches;
        bool first = true;
    };
    auto stream = std::make_shared<Stream>(Stream{std::move(batches)});
    HttpResponse response;
    response.body = R"({"logs":[)";
    response.next_chunk = [stream]() -> std::optional<std::string> {
        auto batch = stream->batches->next();
        if (!batch) return std::nullopt;
        std::string chunk = audit_records_json(batch->records, stream->first);
        stream->first = stream->first && batch->records.empty();
        if (batch->last) chunk += R"(],"next":null})";
        return chunk;
    };
    return response;
}

HttpResponse logs(const ApiServices& services, const HttpRequest& request) {
    auto result =
        core::query_logs(services.audit, read_logs_request(request), request.client_address);
    if (result.invalid) {
        return error_response(core::ErrorCode::invalid_request, result.invalid->reason);
    }
    if (!result.page) return stream_records(std::move(result.all));
    HttpResponse response;
    response.body = audit_page_json(*result.page);
    return response;
}

}  // namespace

void add_log_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    for (const char* path : {"/api/v1/logs", "/logs"})
        router.add("GET", path, [s](const HttpRequest& r) { return logs(*s, r); });
}

}  // namespace backupd::api
