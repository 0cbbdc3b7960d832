// The HTTP server over a loopback socket with in-memory ports: a waiting request is answered
// when its job changes on this node (not at a recheck), and at once when the server stops.
#include "backupd/api/http_server.hpp"

#include <chrono>
#include <future>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "backupd/api/api_routes.hpp"
#include "backupd/core/watched_job_queue.hpp"
#include "fake_audit_log.hpp"
#include "fake_job_queue.hpp"
#include "fake_snapshot_catalog.hpp"
#include "fake_snapshot_files.hpp"
#include "fake_source_folders.hpp"

using namespace backupd;
using namespace std::chrono_literals;

namespace {

// One request over a fresh connection; returns everything the server sent before closing.
std::string exchange(std::uint16_t port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    BOOST_REQUIRE(::write(fd, request.data(), request.size()) ==
                  static_cast<ssize_t>(request.size()));
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
    ::close(fd);
    return answer;
}

// A file of several streamed pieces and a bit, with bytes that tell their offset apart.
std::string big_file() {
    std::string content;
    for (int i = 0; content.size() < 700'001; ++i) content += std::to_string(i) + ",";
    return content;
}

struct Server {
    testing::FakeJobQueue fake;
    core::JobWatch watch;
    core::WatchedJobQueue jobs{fake, watch};
    testing::FakeAuditLog audit;
    testing::FakeSourceFolders folders{{"photos"}};
    testing::FakeSnapshotCatalog snapshots;
    testing::FakeSnapshotFiles snapshot_files;
    api::RequestMetrics metrics;
    api::ApiServices services{.jobs = jobs,
                              .audit = audit,
                              .folders = folders,
                              .snapshots = &snapshots,
                              .snapshot_files = &snapshot_files,
                              .job_watch = &watch,
                              .short_form_wait = 30s,
                              .wait_recheck = 30s};
    std::unique_ptr<api::HttpServer> server;

    Server() {
        snapshot_files.add_file(snapshots.add(17, "photos").path, "big.bin", big_file());
        api::Router router;
        api::add_api_routes(router, services, metrics);
        api::ServerOptions options;
        options.port = 0;
        options.io_threads = 1;
        options.handler_threads = 2;
        server = std::make_unique<api::HttpServer>(options, std::move(router), api::TokenSet{});
        server->start();
    }

    std::future<std::string> post_short_form() {
        return std::async(std::launch::async, [port = server->port()] {
            return exchange(port,
                            "POST /backup/photos HTTP/1.1\r\nHost: x\r\n"
                            "Connection: close\r\nContent-Length: 0\r\n\r\n");
        });
    }

    // Waits (bounded) until the request has subscribed to its job.
    void wait_for_subscriber() {
        for (int i = 0; i < 500 && watch.subscribers() == 0; ++i) std::this_thread::sleep_for(10ms);
        BOOST_REQUIRE(watch.subscribers() == 1u);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(http_server)

BOOST_AUTO_TEST_CASE(a_waiting_request_is_answered_when_its_job_finishes_on_this_node) {
    Server s;
    const auto started = std::chrono::steady_clock::now();
    auto answer = s.post_short_form();
    s.wait_for_subscriber();
    const auto claim = s.jobs.claim({"node", "1"}).value();
    BOOST_TEST(s.jobs.finish(claim, {.state = core::JobState::succeeded}));
    BOOST_REQUIRE((answer.wait_for(10s) == std::future_status::ready));
    const std::string text = answer.get();
    BOOST_TEST(text.starts_with("HTTP/1.1 200"));
    BOOST_TEST(text.find(R"("state":"succeeded")") != std::string::npos);
    BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));  // the recheck is 30 s
    s.server->stop(1s);
    BOOST_TEST(s.watch.subscribers() == 0u);
}

BOOST_AUTO_TEST_CASE(stopping_the_server_answers_a_waiting_request_with_202_at_once) {
    Server s;
    auto answer = s.post_short_form();
    s.wait_for_subscriber();
    const auto started = std::chrono::steady_clock::now();
    s.server->stop(5s);
    BOOST_REQUIRE((answer.wait_for(1s) == std::future_status::ready));
    BOOST_TEST(answer.get().starts_with("HTTP/1.1 202"));
    BOOST_TEST((std::chrono::steady_clock::now() - started < 5s));
}

BOOST_AUTO_TEST_CASE(a_streamed_and_a_whole_answer_share_their_headers) {
    Server s;
    const std::string streamed =
        exchange(s.server->port(), "GET /logs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string whole =
        exchange(s.server->port(), "GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    for (const auto* text : {&streamed, &whole}) {
        BOOST_TEST(text->starts_with("HTTP/1.1 200"));
        BOOST_TEST(text->find("Server: backupd\r\n") != std::string::npos);
        BOOST_TEST(text->find("Content-Type: application/json; charset=utf-8\r\n") !=
                   std::string::npos);
    }
    BOOST_TEST(streamed.find("Transfer-Encoding: chunked\r\n") != std::string::npos);
    BOOST_TEST(whole.find("Content-Length: ") != std::string::npos);
    s.server->stop(1s);
}

BOOST_AUTO_TEST_CASE(a_download_is_streamed_with_its_exact_length_not_chunked) {
    Server s;
    const std::string file = big_file();
    const std::string text = exchange(s.server->port(),
                                      "GET /api/v1/snapshots/17/content?path=big.bin HTTP/1.1\r\n"
                                      "Host: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(text.starts_with("HTTP/1.1 200"));
    BOOST_TEST(text.find("Content-Type: application/octet-stream\r\n") != std::string::npos);
    BOOST_TEST(text.find("Content-Length: " + std::to_string(file.size()) + "\r\n") !=
               std::string::npos);
    BOOST_TEST(text.find("Transfer-Encoding") == std::string::npos);
    const auto body = text.find("\r\n\r\n");
    BOOST_REQUIRE(body != std::string::npos);
    BOOST_TEST((text.substr(body + 4) == file));  // exactly the bytes, nothing after
    s.server->stop(1s);
}

BOOST_AUTO_TEST_CASE(a_known_length_stream_keeps_the_connection_for_the_next_request) {
    Server s;
    const std::string text =
        exchange(s.server->port(),
                 "GET /api/v1/snapshots/17/content?path=big.bin HTTP/1.1\r\n"
                 "Host: x\r\nRange: bytes=2-5\r\n\r\n"
                 "GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(text.starts_with("HTTP/1.1 206"));
    BOOST_TEST(text.find("Content-Range: bytes 2-5/") != std::string::npos);
    BOOST_TEST(text.find("Content-Length: 4\r\n") != std::string::npos);
    const auto second = text.find("HTTP/1.1 200");
    BOOST_REQUIRE(second != std::string::npos);
    BOOST_TEST(text.substr(second - 4, 4) == big_file().substr(2, 4));
    s.server->stop(1s);
}

BOOST_AUTO_TEST_CASE(a_stream_shorter_than_its_length_ends_the_connection_truncated) {
    api::Router router;
    router.add("GET", "/short", [](const api::HttpRequest&) {
        api::HttpResponse response;
        response.content_type = "application/octet-stream";
        response.content_length = 10;
        auto sent = std::make_shared<bool>(false);
        response.next_chunk = [sent]() -> std::optional<std::string> {
            if (*sent) return std::nullopt;
            *sent = true;
            return "abcd";
        };
        return response;
    });
    api::ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.handler_threads = 1;
    api::HttpServer server(options, std::move(router), api::TokenSet{});
    server.start();
    // Two pipelined requests: the first one's connection must end, so the second gets nothing.
    const std::string text =
        exchange(server.port(),
                 "GET /short HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /short HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(text.find("Content-Length: 10\r\n") != std::string::npos);
    BOOST_TEST(text.ends_with("\r\n\r\nabcd"));
    BOOST_TEST(text.find("HTTP/1.1", 1) == std::string::npos);
    server.stop(1s);
}

BOOST_AUTO_TEST_SUITE_END()
