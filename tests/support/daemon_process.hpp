#pragma once
// The real backupd binary (BACKUPD_BINARY) as a child process, for tests of crashes and
// restarts. Its log goes to a file in the scratch directory, shown when a test fails.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace backupd::testing {

class DaemonProcess {
public:
    // Starts `BACKUPD_BINARY serve <arguments>`, with `environment` added to ours, logging to
    // `log`.
    DaemonProcess(const std::vector<std::string>& arguments,
                  const std::vector<std::string>& environment, const std::filesystem::path& log) {
        const char* binary = std::getenv("BACKUPD_BINARY");
        if (binary == nullptr) throw std::runtime_error("BACKUPD_BINARY is not set");
        std::vector<std::string> argv_text{binary, "serve"};
        argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
        std::vector<char*> argv;
        for (auto& text : argv_text) argv.push_back(text.data());
        argv.push_back(nullptr);
        std::vector<std::string> env_text(environment);
        for (char** e = environ; *e != nullptr; ++e) env_text.emplace_back(*e);
        std::vector<char*> envp;
        for (auto& text : env_text) envp.push_back(text.data());
        envp.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                         0644);
        // The test binary may block signals; the daemon manages its own.
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
        const int error =
            posix_spawn(&pid_, binary, &actions, &attributes, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        if (error != 0) throw std::runtime_error("cannot start " + std::string(binary));
    }

    ~DaemonProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    // Sends `signal` and waits; returns the wait status.
    int stop(int signal) {
        ::kill(pid_, signal);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return status;
    }

    // Waits up to `limit` for the daemon to exit by itself; its wait status, or nullopt if it
    // still runs.
    std::optional<int> wait_for_exit(std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return status;
            }
            if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
            std::this_thread::sleep_for(std::chrono::milliseconds{20});
        }
    }

private:
    pid_t pid_ = -1;
};

}  // namespace backupd::testing
