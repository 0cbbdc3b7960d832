// backupd: wires configuration to commands. See config.hpp for the options.
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string_view>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"
#include "commands.hpp"
#include "config.hpp"

namespace {

void configure_logging(const std::string& level) {
    auto logger = spdlog::stderr_logger_mt("backupd");
    // One line per event: time, level, then key=value fields.
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char* argv[]) {
    // Block the stop signals and SIGHUP (reload) before any thread starts: threads inherit the
    // mask, and `serve` waits for them with sigwait. Elsewhere a SIGHUP stays pending, unused.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    using namespace backupd::daemon;
    // `verify` reads a snapshot and its manifest only: no configuration, database or logger.
    if (argc >= 2 && std::string_view(argv[1]) == "verify") {
        try {
            return run_verify(argc, argv);
        } catch (const std::exception& e) {
            std::cerr << "backupd verify: " << e.what() << "\n";
            return 2;
        }
    }
    Invocation invocation;
    try {
        invocation = parse_invocation(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "backupd: " << e.what() << "\n";
        return 2;
    }
    switch (invocation.command) {
        case Command::help: std::cout << help_text(); return 0;
        case Command::version: std::cout << "backupd " << BACKUPD_VERSION << "\n"; return 0;
        default: break;
    }
    configure_logging(invocation.config.log_level);
    try {
        switch (invocation.command) {
            case Command::migrate: return run_migrate(invocation.config);
            case Command::snapshot:
                return run_snapshot(invocation.config, invocation.snapshot_folder);
            default: return run_serve(invocation.config);
        }
    } catch (const backupd::core::Error& e) {
        spdlog::critical("event=fatal error=\"{}\"", e.detail());  // the operator's full story
        return 1;
    } catch (const std::exception& e) {
        spdlog::critical("event=fatal error=\"{}\"", e.what());
        return 1;
    }
}
