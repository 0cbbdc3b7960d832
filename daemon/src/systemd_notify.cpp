#include "systemd_notify.hpp"

#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace backupd::daemon {
namespace {

std::int64_t number_from_env(const char* name) {
    const char* text = std::getenv(name);
    if (text == nullptr) return 0;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text, text + std::strlen(text), value);
    return error == std::errc{} && *end == '\0' ? value : 0;
}

}  // namespace

SystemdNotifier::SystemdNotifier(std::function<bool()> healthy) : healthy_(std::move(healthy)) {
    if (const char* path = std::getenv("NOTIFY_SOCKET")) socket_path_ = path;
    const std::int64_t watchdog_pid = number_from_env("WATCHDOG_PID");
    if (watchdog_pid == 0 || watchdog_pid == ::getpid())
        watchdog_ = std::chrono::microseconds{number_from_env("WATCHDOG_USEC")};
}

SystemdNotifier::~SystemdNotifier() = default;  // the jthread stops and joins

void SystemdNotifier::send(const std::string& message) const {
    if (socket_path_.empty()) return;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path_.size() >= sizeof address.sun_path) return;
    std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
    if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // an abstract socket
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    const auto length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
    if (::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr*>(&address), length) < 0) {
        spdlog::warn("event=systemd_notify_failed error=\"{}\"", std::strerror(errno));
    }
    ::close(fd);
}

void SystemdNotifier::status(std::string_view status) const {
    send("STATUS=" + std::string(status));
}

void SystemdNotifier::ready(std::string_view status) {
    send("READY=1\nSTATUS=" + std::string(status));
    if (!active() || watchdog_.count() <= 0) return;
    watchdog_thread_ = std::jthread([this](const std::stop_token& stop) {
        std::mutex mutex;
        std::condition_variable_any sleep;
        std::unique_lock lock(mutex);
        const auto interval = watchdog_ / 2;
        while (!sleep.wait_for(lock, stop, interval, [] { return false; }) &&
               !stop.stop_requested()) {
            // A missed ping lets systemd restart a daemon that stopped working.
            if (healthy_()) send("WATCHDOG=1");
        }
    });
}

void SystemdNotifier::stopping(std::string_view status) {
    watchdog_thread_ = {};
    send("STOPPING=1\nSTATUS=" + std::string(status));
}

}  // namespace backupd::daemon
