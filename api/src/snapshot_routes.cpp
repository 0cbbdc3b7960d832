// Snapshots as a resource: list, show one, browse a directory, download a file, pin, unpin and
// delete (a prune job for one snapshot). Each handler checks the request, makes one call on the
// snapshot ports (or core::delete_snapshot), and shapes the answer. Errors of the disk (no such
// entry, not a directory, a symbolic link on the way) keep their own codes.
#include <charconv>
#include <memory>
#include <variant>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/byte_range.hpp"
#include "backupd/api/error_status.hpp"
#include "backupd/api/json.hpp"
#include "backupd/api/snapshot_json.hpp"
#include "backupd/core/snapshot_paths.hpp"
#include "job_answers.hpp"
#include "plan_access.hpp"
#include "snapshot_access.hpp"

namespace backupd::api {
namespace {

using namespace detail;

// How much of a file one streamed piece holds: large enough for disk and socket efficiency,
// small enough that memory stays flat per download.
constexpr std::size_t kContentPiece = std::size_t{256} * 1024;

// A directory cursor is the last name of a page in hex: opaque, and any name round-trips.
std::string encode_cursor(std::string_view name) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : name) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::optional<std::string> decode_cursor(std::string_view cursor) {
    if (cursor.empty() || cursor.size() % 2 != 0) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < cursor.size(); i += 2) {
        unsigned value = 0;
        const char* begin = cursor.data() + i;
        const auto [end, error] = std::from_chars(begin, begin + 2, value, 16);
        if (error != std::errc{} || end != begin + 2) return std::nullopt;
        out += static_cast<char>(value);
    }
    return out;
}

// The snapshot the route's {id} names, or the answer when there is none to serve.
std::variant<core::Snapshot, HttpResponse> snapshot_of(const ApiServices& services,
                                                       const HttpRequest& request) {
    const auto ports = snapshot_ports(services);
    if (!ports) return snapshots_not_served();
    const auto id = id_parameter(request);
    if (!id) return bad_snapshot_id();
    auto snapshot = core::find_snapshot(*ports, *id);
    if (!snapshot) return no_such_snapshot(*id);
    return std::move(*snapshot);
}

HttpResponse list(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {"folder", "limit", "cursor"});
    if (!query.error.empty()) return bad_request(query.error);
    if (!services.snapshots) return snapshots_not_served();
    core::SnapshotFilter filter;
    if (const auto folder = query.get("folder")) filter.folder = std::string(*folder);
    const auto limit = read_limit(query);
    if (!limit) return bad_request(kBadLimit);
    filter.limit = *limit;
    if (const auto cursor = query.get("cursor")) {
        filter.before = read_number(*cursor, 1, INT64_MAX);
        if (!filter.before) return bad_request(kBadCursor);
    }
    HttpResponse response;
    response.body = snapshot_page_json(services.snapshots->list(filter));
    return response;
}

HttpResponse show(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    auto snapshot = snapshot_of(services, request);
    if (auto* answer = std::get_if<HttpResponse>(&snapshot)) return std::move(*answer);
    HttpResponse response;
    response.body = snapshot_json(std::get<core::Snapshot>(snapshot));
    return response;
}

HttpResponse files(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {"path", "limit", "cursor"});
    if (!query.error.empty()) return bad_request(query.error);
    const std::string_view path = query.get("path").value_or("");
    if (const auto error = core::check_snapshot_path(path, true))
        return error_response(error->code, error->message);
    const auto limit = read_limit(query);
    if (!limit) return bad_request(kBadLimit);
    std::optional<std::string> after;
    if (const auto cursor = query.get("cursor")) {
        after = decode_cursor(*cursor);
        if (!after) return bad_request(kBadCursor);
    }
    auto snapshot = snapshot_of(services, request);
    if (auto* answer = std::get_if<HttpResponse>(&snapshot)) return std::move(*answer);
    try {
        const auto page = services.snapshot_files->list(std::get<core::Snapshot>(snapshot).path,
                                                        path, after, *limit);
        HttpResponse response;
        response.body = directory_page_json(
            page.entries, page.next ? std::optional(encode_cursor(*page.next)) : std::nullopt);
        return response;
    } catch (const core::Error& e) {
        return error_for(e);
    }
}

// Reads [offset, end) of an open file, one piece per call, off the I/O threads. The server
// copies the producer it calls, so the position lives in shared state.
class ContentReader {
public:
    ContentReader(std::unique_ptr<core::SnapshotFile> file, std::int64_t offset, std::int64_t end)
        : state_(std::make_shared<State>(State{std::move(file), offset, end})) {}

    std::optional<std::string> operator()() const {
        State& s = *state_;
        if (s.offset >= s.end) return std::nullopt;
        const auto wanted =
            std::min<std::int64_t>(s.end - s.offset, static_cast<std::int64_t>(kContentPiece));
        std::string piece(static_cast<std::size_t>(wanted), '\0');
        const std::size_t read = s.file->read(s.offset, piece);
        if (read == 0) {
            throw core::Error(core::ErrorCode::snapshot_unreadable,
                              core::message_for(core::ErrorCode::snapshot_unreadable,
                                                "the file ended before its size"));
        }
        piece.resize(std::min(read, piece.size()));
        s.offset += static_cast<std::int64_t>(piece.size());
        return piece;
    }

private:
    struct State {
        std::unique_ptr<core::SnapshotFile> file;
        std::int64_t offset;
        std::int64_t end;
    };
    std::shared_ptr<State> state_;
};

// The streamed answer for an opened file: whole (200), one range (206) or 416.
HttpResponse content_answer(core::OpenedSnapshotFile opened, std::string_view range_header) {
    const std::int64_t size = opened.file->size();
    const auto range = read_byte_range(range_header, size);
    if (range.kind == ByteRange::Kind::unsatisfiable) {
        HttpResponse response = error_response(
            core::ErrorCode::invalid_request,
            "Range not satisfiable: the file has " + std::to_string(size) + " bytes");
        response.status = 416;
        response.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        return response;
    }
    const bool partial = range.kind == ByteRange::Kind::partial;
    const std::int64_t first = partial ? range.first : 0;
    const std::int64_t end = partial ? range.last + 1 : size;
    HttpResponse response;
    response.status = partial ? 206 : 200;
    response.content_type = "application/octet-stream";
    response.headers.emplace_back("Accept-Ranges", "bytes");
    if (opened.digest) response.headers.emplace_back("ETag", "\"" + *opened.digest + "\"");
    if (partial) {
        response.headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                           std::to_string(end - 1) + "/" +
                                                           std::to_string(size));
    }
    response.content_length = end - first;
    response.next_chunk = ContentReader{std::move(opened.file), first, end};
    return response;
}

HttpResponse content(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {"path"});
    if (!query.error.empty()) return bad_request(query.error);
    const auto path = query.get("path");
    if (!path) return bad_request("path is required: the file's path in the snapshot");
    if (const auto error = core::check_snapshot_path(*path))
        return error_response(error->code, error->message);
    auto snapshot = snapshot_of(services, request);
    if (auto* answer = std::get_if<HttpResponse>(&snapshot)) return std::move(*answer);
    try {
        return content_answer(
            services.snapshot_files->open(std::get<core::Snapshot>(snapshot).path, *path),
            request.range);
    } catch (const core::Error& e) {
        return error_for(e);
    }
}

// DELETE /api/v1/snapshots/{id}: a prune job that removes that one snapshot (202), unless it is
// unknown (404), pinned (409 snapshot_pinned) or in use by a queued or running restore or
// verify (409 conflict).
HttpResponse remove(const ApiServices& services, const HttpRequest& request) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    const auto ports = plan_ports(services);
    if (!ports) return snapshots_not_served();
    const auto id = id_parameter(request);
    if (!id) return bad_snapshot_id();
    try {
        return job_answer(202, core::delete_snapshot(*ports, *id, request.client_address));
    } catch (const core::Error& e) {
        using core::ErrorCode;
        if (e.code() != ErrorCode::not_found && e.code() != ErrorCode::snapshot_pinned &&
            e.code() != ErrorCode::conflict)
            throw;
        return error_for(e);
    }
}

// POST (pinned = true) and DELETE (false) /api/v1/snapshots/{id}/pin: the snapshot as it is now.
HttpResponse pin(const ApiServices& services, const HttpRequest& request, bool pinned) {
    const auto query = read_query(request, {});
    if (!query.error.empty()) return bad_request(query.error);
    if (!services.snapshots) return snapshots_not_served();
    const auto id = id_parameter(request);
    if (!id) return bad_snapshot_id();
    if (!services.snapshots->set_pinned(*id, pinned)) return no_such_snapshot(*id);
    const auto snapshot = services.snapshots->find(*id);
    if (!snapshot) return no_such_snapshot(*id);  // pruned meanwhile
    HttpResponse response;
    response.body = snapshot_json(*snapshot);
    return response;
}

}  // namespace

void add_snapshot_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    router.add("GET", "/api/v1/snapshots", [s](const HttpRequest& r) { return list(*s, r); });
    router.add("GET", "/api/v1/snapshots/{id}", [s](const HttpRequest& r) { return show(*s, r); });
    router.add("DELETE", "/api/v1/snapshots/{id}",
               [s](const HttpRequest& r) { return remove(*s, r); });
    router.add("GET", "/api/v1/snapshots/{id}/files",
               [s](const HttpRequest& r) { return files(*s, r); });
    router.add("GET", "/api/v1/snapshots/{id}/content",
               [s](const HttpRequest& r) { return content(*s, r); });
    router.add("POST", "/api/v1/snapshots/{id}/pin",
               [s](const HttpRequest& r) { return pin(*s, r, true); });
    router.add("DELETE", "/api/v1/snapshots/{id}/pin",
               [s](const HttpRequest& r) { return pin(*s, r, false); });
}

}  // namespace backupd::api
