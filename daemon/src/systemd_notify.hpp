#pragma once
// Telling systemd how the daemon is doing, for a Type=notify unit (sd_notify(3)'s protocol,
// without libsystemd): STATUS= lines while starting, READY=1 once serving (after start-up
// recovery, when /readyz would first answer 200), STOPPING=1 when a stop begins, and WATCHDOG=1
// every WatchdogSec/2 while `healthy` says so. Without NOTIFY_SOCKET (not under systemd)
// every call does nothing.
//
// Thread-safety: construct, ready() and stopping() from the main thread.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace backupd::daemon {

class SystemdNotifier {
public:
    // Reads NOTIFY_SOCKET and WATCHDOG_USEC (honouring WATCHDOG_PID) from the environment.
    explicit SystemdNotifier(std::function<bool()> healthy);
    ~SystemdNotifier();

    bool active() const { return !socket_path_.empty(); }

    // A STATUS line only (shown by `systemctl status`), e.g. while recovering.
    void status(std::string_view status) const;
    // READY=1 and a STATUS line; starts the watchdog pings when the unit asks for them.
    void ready(std::string_view status);
    // STOPPING=1 and a STATUS line; ends the watchdog pings.
    void stopping(std::string_view status);

private:
    void send(const std::string& message) const;

    std::string socket_path_;
    std::chrono::microseconds watchdog_{0};
    std::function<bool()> healthy_;
    std::jthread watchdog_thread_;
};

}  // namespace backupd::daemon
