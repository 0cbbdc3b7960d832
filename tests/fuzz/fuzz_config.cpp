// Fuzz target: the config file (--config FILE, key = value lines) through the real
// daemon::parse_invocation, with the bytes as the file's content (an in-memory file, so no
// disk I/O per input). Findings: a crash or sanitizer report, and any exception but the
// std::runtime_error whose one-line message the daemon prints before it exits.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "config.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
    std::perror(what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const int fd = memfd_create("backupd.conf", 0);
    static const std::string path = "/proc/self/fd/" + std::to_string(fd);
    if (fd < 0) fail("memfd_create");
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
        fail("writing the config file");
    const char* const argv[] = {"backupd", "serve", "--config", path.c_str()};
    try {
        (void)backupd::daemon::parse_invocation(4, argv);
    } catch (const std::runtime_error&) {
        // A bad key or value: the daemon prints the message and exits 2.
    }
    spdlog::set_level(spdlog::level::off);  // log-level = ... sets it; keep the run quiet
    return 0;
}
