#pragma once
// The API routes through the Router over in-memory fakes of every port (no socket, no
// database), shared by the route tests: snapshot 17 of "photos" is on disk with a few entries.

#include <string>
#include <string_view>

#include "backupd/api/api_routes.hpp"
#include "fake_audit_log.hpp"
#include "fake_job_queue.hpp"
#include "fake_plan_store.hpp"
#include "fake_snapshot_catalog.hpp"
#include "fake_snapshot_files.hpp"
#include "fake_source_folders.hpp"

namespace backupd::testing {

struct RouteFixture {
    static constexpr const char* kSnapshot = "photos/20261124T140523Z-17";

    FakeJobQueue jobs;
    FakeAuditLog audit;
    FakeSourceFolders folders{{"photos"}};
    FakeSnapshotCatalog snapshots;
    FakeSnapshotFiles snapshot_files;
    FakePlanStore plans;
    api::RequestMetrics metrics;
    api::ApiServices services{.jobs = jobs,
                              .audit = audit,
                              .folders = folders,
                              .snapshots = &snapshots,
                              .snapshot_files = &snapshot_files,
                              .plans = &plans};
    api::Router router;

    RouteFixture() {
        api::add_api_routes(router, services, metrics);
        snapshots.add(17, "photos");
        snapshot_files.add_file(kSnapshot, "a.txt", "hello");
        snapshot_files.add_file(kSnapshot, "sub/b.bin", "0123456789", "d1g3st");
        snapshot_files.add_symlink(kSnapshot, "link", "sub");
    }

    api::HttpResponse call(std::string method, std::string target, std::string body = "",
                           std::string range = "") {
        api::HttpRequest request;
        request.method = std::move(method);
        request.target = std::move(target);
        request.body = std::move(body);
        request.range = std::move(range);
        request.content_type = "application/json";
        request.client_address = "127.0.0.1";
        return router.route(request);
    }
};

inline std::string header(const api::HttpResponse& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) return value;
    }
    return "";
}

inline bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

}  // namespace backupd::testing
