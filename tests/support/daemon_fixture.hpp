#pragma once
// What tests of the real daemon share: a WorkerFixture (database, source and backup roots), the
// daemon's log file, the --database argument for the backend under test, and a bounded wait.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "daemon_process.hpp"
#include "worker_fixture.hpp"

namespace backupd::testing {

struct DaemonFixture : WorkerFixture {
    std::filesystem::path log = scratch_directory.path() / "daemon.log";

    // The scratch database as `--database` takes it (the password comes from the environment).
    std::string database_argument() const {
        const auto& url = scratch.url();
        return url.backend == store::Backend::sqlite ? "sqlite:" + url.sqlite_path : url.redacted();
    }

    // Waits for `done` up to `limit`, looking every `step`; false on timeout.
    template <typename Done>
    static bool wait_for(Done done, std::chrono::milliseconds limit,
                         std::chrono::milliseconds step) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(step);
        }
        return true;
    }

    std::string daemon_log() const {
        std::ifstream in(log);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
};

}  // namespace backupd::testing
