// The HTTP server over a loopback socket at its limits: beyond the connection cap a client
// reads 429 too_busy with Retry-After (not a reset), and beyond the queue bound a request is
// refused at once while /healthz still answers.
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "backupd/api/health_routes.hpp"
#include "backupd/api/http_server.hpp"

using namespace backupd;
using namespace std::chrono_literals;

namespace {

int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    return fd;
}

// One request over a fresh connection; everything the server sent before closing.
std::string exchange(std::uint16_t port, const std::string& path) {
    const int fd = connect_to(port);
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    BOOST_REQUIRE(::write(fd, request.data(), request.size()) ==
                  static_cast<ssize_t>(request.size()));
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
    ::close(fd);
    return answer;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A server whose GET /slow holds its handler thread until release().
struct Server {
    std::promise<void> gate;
    std::shared_future<void> opened = gate.get_future().share();
    std::mutex mutex;
    std::vector<api::Refusal> refused;
    std::unique_ptr<api::HttpServer> server;

    explicit Server(api::ServerOptions options) {
        api::Router router;
        router.add("GET", "/slow", [this](const api::HttpRequest&) {
            opened.wait();
            return api::HttpResponse{};
        });
        api::add_health_routes(router);
        options.port = 0;
        options.io_threads = 1;
        options.refused = [this](api::Refusal reason) {
            const std::lock_guard lock(mutex);
            refused.push_back(reason);
        };
        server = std::make_unique<api::HttpServer>(options, std::move(router), api::TokenSet{});
        server->start();
    }
    ~Server() {
        release();
        server->stop(1s);
    }

    void release() {
        try {
            gate.set_value();
        } catch (const std::future_error&) {  // already released
        }
    }
    std::size_t refusals() {
        const std::lock_guard lock(mutex);
        return refused.size();
    }
    void wait_for_refusals(std::size_t count) {
        for (int i = 0; i < 1000 && refusals() < count; ++i) std::this_thread::sleep_for(10ms);
        BOOST_REQUIRE(refusals() == count);
    }
    std::future<std::string> get(const std::string& path) {
        return std::async(std::launch::async,
                          [port = server->port(), path] { return exchange(port, path); });
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(http_server_overload)

BOOST_AUTO_TEST_CASE(a_connection_beyond_the_cap_reads_429_with_retry_after_then_closes) {
    api::ServerOptions options;
    options.max_connections = 1;
    Server s(options);
    const int held = connect_to(s.server->port());  // the one connection allowed, idle
    const std::string refused = exchange(s.server->port(), "/slow");
    BOOST_TEST(refused.starts_with("HTTP/1.1 429"));
    BOOST_TEST(contains(refused, "Retry-After: 1\r\n"));
    BOOST_TEST(contains(refused, R"("code":"too_busy")"));
    BOOST_TEST(contains(refused, "Connection: close"));
    // Health probes get through even so.
    BOOST_TEST(exchange(s.server->port(), "/healthz").starts_with("HTTP/1.1 200"));
    BOOST_TEST(s.refusals() == 2u);
    BOOST_TEST((s.refused.at(0) == api::Refusal::connections));
    ::close(held);
    // The slot frees: served again (the gate open, so /slow answers).
    s.release();
    std::string served;
    for (int i = 0; i < 100 && !served.starts_with("HTTP/1.1 200"); ++i) {
        std::this_thread::sleep_for(10ms);
        served = exchange(s.server->port(), "/slow");
    }
    BOOST_TEST(served.starts_with("HTTP/1.1 200"));
}

BOOST_AUTO_TEST_CASE(requests_beyond_the_queue_bound_get_429_at_once_and_healthz_still_answers) {
    api::ServerOptions options;
    options.handler_threads = 1;
    options.max_queued_requests = 1;
    Server s(options);
    // One runs, one waits, three are refused, whatever order they arrive in.
    std::vector<std::future<std::string>> answers;
    for (int i = 0; i < 5; ++i) answers.push_back(s.get("/slow"));
    s.wait_for_refusals(3);
    BOOST_TEST(exchange(s.server->port(), "/healthz").starts_with("HTTP/1.1 200"));
    s.release();
    int ok = 0;
    int busy = 0;
    for (auto& answer : answers) {
        BOOST_REQUIRE((answer.wait_for(10s) == std::future_status::ready));
        const std::string text = answer.get();
        if (text.starts_with("HTTP/1.1 200")) ++ok;
        if (text.starts_with("HTTP/1.1 429") && contains(text, "Retry-After: 1\r\n")) ++busy;
    }
    BOOST_TEST(ok == 2);
    BOOST_TEST(busy == 3);
    BOOST_TEST((s.refused.at(0) == api::Refusal::queue));
}

BOOST_AUTO_TEST_SUITE_END()
