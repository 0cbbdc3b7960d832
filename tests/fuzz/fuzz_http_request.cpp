// Fuzz target: raw bytes as one or more pipelined HTTP requests, read with Beast's request
// parser under the server's limits, turned into api::HttpRequest by the session's conversion, and
// answered through the auth check and the real router with every route over in-memory fakes
// (tests/support). Findings: any crash or sanitizer report, a 5xx answer (the fakes cause none
// on purpose), and a streamed body whose length differs from the Content-Length it announced.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/http_server.hpp"
#include "fake_audit_log.hpp"
#include "fake_job_queue.hpp"
#include "fake_plan_store.hpp"
#include "fake_snapshot_catalog.hpp"
#include "fake_snapshot_files.hpp"
#include "fake_source_folders.hpp"
#include "server/handler_call.hpp"
#include "server/request_conversion.hpp"

namespace {

namespace http = boost::beast::http;
using namespace backupd;

constexpr std::size_t kMaxRequests = 8;   // per input: enough to create a plan and read it back
constexpr std::size_t kMaxChunks = 4096;  // of one streamed body

// Fresh for every input, so state (jobs, records, plans) stays bounded however long the run.
struct World {
    static constexpr const char* kSnapshot = "photos/20261124T140523Z-17";

    testing::FakeJobQueue jobs;
    testing::FakeAuditLog audit;
    testing::FakeSourceFolders folders{{"photos", "docs/2026"}};
    testing::FakeSnapshotCatalog snapshots;
    testing::FakeSnapshotFiles snapshot_files;
    testing::FakePlanStore plans;
    api::RequestMetrics metrics;
    api::ApiServices services{.jobs = jobs,
                              .audit = audit,
                              .folders = folders,
                              .snapshots = &snapshots,
                              .snapshot_files = &snapshot_files,
                              .plans = &plans};
    api::Router router;
    api::TokenSet tokens{{"fuzz-token"}};

    World() {
        api::add_api_routes(router, services, metrics);
        snapshots.add(17, "photos");
        snapshot_files.add_file(kSnapshot, "a.txt", "hello");
        snapshot_files.add_file(kSnapshot, "sub/b.bin", "0123456789", "d1g3st");
        snapshot_files.add_symlink(kSnapshot, "link", "sub");
        plans.create({.name = "nightly", .folder = "photos", .schedule = "30 2 * * *"});
    }
};

[[noreturn]] void finding(const api::HttpRequest& request, const api::HttpResponse& response,
                          const char* what) {
    std::fprintf(stderr, "fuzz_http_request: %s: %s %s -> %d %s\n", what, request.method.c_str(),
                 request.target.substr(0, 200).c_str(), response.status,
                 response.body.substr(0, 400).c_str());
    std::abort();
}

// Everything the server would send for `response`: the deferred answer, the streamed body.
void consume(const api::HttpRequest& request, api::HttpResponse response) {
    if (response.deferred) {
        // The server's last call (deadline or stop) must answer.
        const auto answer = api::server::guarded(request, [&] {
            auto last = response.deferred->answer(true);
            if (!last) finding(request, response, "deferred answer gave none at the deadline");
            return *last;
        });
        response = answer;
    }
    if (response.status >= 500) finding(request, response, "server error");
    if (!response.next_chunk) return;
    std::int64_t streamed = 0;
    std::size_t chunks = 0;
    for (; chunks < kMaxChunks; ++chunks) {
        const auto chunk = response.next_chunk();
        if (!chunk) break;
        streamed += static_cast<std::int64_t>(chunk->size());
    }
    if (chunks < kMaxChunks && response.content_length &&
        *response.content_length != static_cast<std::int64_t>(response.body.size()) + streamed) {
        finding(request, response, "streamed length differs from Content-Length");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    spdlog::set_level(spdlog::level::off);  // handler errors are answers here, not log lines
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    World world;
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    const api::ServerOptions limits;
    for (std::size_t n = 0; n < kMaxRequests && !rest.empty(); ++n) {
        // A fresh parser per request with the server's limits, as in session.cpp.
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
        parser.body_limit(limits.body_limit);
        parser.eager(true);
        boost::beast::error_code ec;
        while (!ec && !parser.is_done() && !rest.empty()) {
            const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
            rest.remove_prefix(used);
            if (ec == http::error::need_more) ec = {};
            if (used == 0 && !ec) break;  // the message is incomplete
        }
        if (!ec && !parser.is_done()) parser.put_eof(ec);
        if (ec || !parser.is_done()) break;  // the server answers 4xx or closes: nothing to route
        const api::HttpRequest request = api::server::to_request(parser.get(), "127.0.0.1");
        consume(request, api::server::answer_request(world.router, world.tokens, request));
    }
    return 0;
}
