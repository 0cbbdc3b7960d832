// Start-up order with the real daemon on the backend under test: it binds and answers /healthz
// before start-up recovery, removes orphans in the background, and a taken port fails start-up
// before anything is claimed or deleted.
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "daemon_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;

namespace {

struct Answer {
    int status = 0;  // 0: no answer
    std::string body;
};

// One GET over a fresh connection to 127.0.0.1:port, waiting at most one second for it.
Answer http_get(std::uint16_t port, const std::string& path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return {};
    const timeval timeout{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string reply;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        const std::string request =
            "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size())) {
            char buffer[4096];
            for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
                reply.append(buffer, n);
        }
    }
    ::close(fd);
    Answer answer;
    if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12) return answer;
    answer.status = std::stoi(reply.substr(9, 3));
    const auto body = reply.find("\r\n\r\n");
    if (body != std::string::npos) answer.body = reply.substr(body + 4);
    return answer;
}

// A listening socket on a free loopback port; closed by the destructor.
struct Listener {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    std::uint16_t port = 0;
    Listener() {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(fd, 1) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("cannot listen on a loopback port");
        port = ntohs(address.sin_port);
    }
    ~Listener() { ::close(fd); }
};

// A port that was free a moment ago (the daemon binds it soon after).
std::uint16_t free_port() {
    return Listener().port;
}

struct StartupFixture : testing::DaemonFixture {
    testing::DaemonProcess start_daemon(std::uint16_t port, const std::string& database) {
        return testing::DaemonProcess(
            {"--listen", "127.0.0.1:" + std::to_string(port), "--database", database,
             "--source-root", sources.string(), "--backup-root", backups.string(), "--workers", "1",
             "--copy-threads", "1", "--database-wait-seconds", "3"},
            {"BACKUPD_DATABASE_PASSWORD=" + scratch.url().password}, log);
    }

    // `files` small files under backups/.staging/<name>, in directories of 500.
    std::filesystem::path make_staging(const std::string& name, int files) {
        auto root = backups / ".staging" / name;
        for (int i = 0; i < files; ++i) {
            const auto directory = root / ("d" + std::to_string(i / 500));
            if (i % 500 == 0) std::filesystem::create_directories(directory);
            std::ofstream(directory / ("f" + std::to_string(i))) << i;
        }
        return root;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(daemon_startup)

BOOST_FIXTURE_TEST_CASE(healthz_answers_within_a_second_while_a_20000_file_staging_tree_waits,
                        StartupFixture) {
    const auto staging = make_staging("4242-1", 20000);  // a crashed attempt's copy
    const std::uint16_t port = free_port();
    const auto started = std::chrono::steady_clock::now();
    auto daemon = start_daemon(port, database_argument());
    const bool healthy =
        wait_for([&] { return http_get(port, "/healthz").status == 200; }, 5s, 10ms);
    const auto healthz_after = std::chrono::steady_clock::now() - started;
    BOOST_REQUIRE_MESSAGE(healthy, "/healthz never answered:\n" + daemon_log());
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(healthz_after).count();
    BOOST_TEST_MESSAGE("/healthz answered " << ms << " ms after the start");
    BOOST_TEST(ms < 1000);

    const bool ready = wait_for([&] { return http_get(port, "/readyz").status == 200; }, 30s, 50ms);
    BOOST_REQUIRE_MESSAGE(ready, "/readyz never said ready:\n" + daemon_log());
    BOOST_TEST(http_get(port, "/readyz").body.find("\"ready\"") != std::string::npos);
    // Bounded generously: on a disk shared with other busy tests, 20,000 unlinks have taken
    // over a minute; what this test is about is that nothing above waited for them.
    const bool removed = wait_for([&] { return !std::filesystem::exists(staging); }, 180s, 50ms);
    BOOST_TEST_MESSAGE("the staging tree was gone "
                       << std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count()
                       << " ms after the start");
    const int status = daemon.stop(SIGTERM);
    const std::string text = daemon_log();
    BOOST_TEST(removed, "the staging tree was not removed within 180 s:\n" + text);
    BOOST_TEST(text.find("event=orphans_collected staging=1") != std::string::npos);
    // However fast the disk: serving came first, the removal after it.
    BOOST_TEST(text.find("event=listening") < text.find("event=orphan_removed"));
    BOOST_TEST(text.find("event=serving") < text.find("event=orphan_removed"));
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
}

BOOST_FIXTURE_TEST_CASE(readyz_says_recovering_while_start_up_waits_for_the_database,
                        StartupFixture) {
    // Nothing listens on port 1: start-up recovery waits (3 s here) for a database that never
    // answers, then gives up.
    const std::uint16_t port = free_port();
    auto daemon = start_daemon(port, "mysql://backupd@127.0.0.1:1/backupd");
    BOOST_REQUIRE_MESSAGE(
        wait_for([&] { return http_get(port, "/healthz").status == 200; }, 2s, 10ms),
        "/healthz never answered:\n" + daemon_log());
    const Answer readiness = http_get(port, "/readyz");
    BOOST_TEST(readiness.status == 503);
    BOOST_TEST(readiness.body == R"({"status":"recovering"})");
    const Answer stats = http_get(port, "/api/v1/stats");
    BOOST_TEST(stats.status == 503);
    BOOST_TEST(stats.body.find("database_unavailable") != std::string::npos);
    const auto status = daemon.wait_for_exit(20s);
    BOOST_REQUIRE_MESSAGE(status.has_value(), "the daemon did not give up:\n" + daemon_log());
    BOOST_TEST(WIFEXITED(*status));
    BOOST_TEST(WEXITSTATUS(*status) == 1);
}

BOOST_FIXTURE_TEST_CASE(a_taken_port_fails_start_up_before_anything_is_claimed_or_deleted,
                        StartupFixture) {
    make_folder("photos", 3);
    const auto job = queue.enqueue({"photos"});
    const auto orphan = make_staging(std::to_string(job.id + 100) + "-1", 1);
    const Listener taken;
    auto daemon = start_daemon(taken.port, database_argument());
    const auto status = daemon.wait_for_exit(10s);
    BOOST_REQUIRE_MESSAGE(status.has_value(), "the daemon kept running:\n" + daemon_log());
    BOOST_TEST(WIFEXITED(*status));
    BOOST_TEST(WEXITSTATUS(*status) != 0);
    const std::string text = daemon_log();
    BOOST_TEST_MESSAGE(text);
    BOOST_TEST(text.find("event=fatal") != std::string::npos);
    BOOST_TEST(text.find("127.0.0.1:" + std::to_string(taken.port)) != std::string::npos);
    BOOST_TEST(text.find("event=workers_started") == std::string::npos);

    const auto after = queue.find(job.id);
    BOOST_REQUIRE(after.has_value());
    BOOST_TEST(core::to_string(after->state) == "queued");
    BOOST_TEST(after->attempt == 0);
    BOOST_TEST(std::filesystem::exists(orphan));  // nothing was deleted either
}

BOOST_AUTO_TEST_SUITE_END()
