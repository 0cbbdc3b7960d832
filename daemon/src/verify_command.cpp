// `backupd verify SNAPSHOT_DIR`: checks a snapshot against its manifest
// ("<SNAPSHOT_DIR>.manifest") offline, without database or server, for operators.
// Exit status: 0 intact, 1 mismatch (or a manifest that does not check), 2 usage or no manifest.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <fcntl.h>

#include "backupd/copy/manifest.hpp"
#include "backupd/copy/unique_fd.hpp"
#include "backupd/copy/verify_snapshot.hpp"
#include "commands.hpp"

namespace backupd::daemon {
namespace {

constexpr int kIntact = 0;
constexpr int kMismatch = 1;
constexpr int kUsage = 2;

constexpr const char* kUsageText =
    "usage: backupd verify SNAPSHOT_DIR\n"
    "  re-reads every file of the snapshot and compares it with SNAPSHOT_DIR.manifest\n"
    "  exit 0: intact; 1: mismatch (the paths are listed); 2: usage, or no manifest\n";

}  // namespace

int run_verify(int argc, char* argv[]) {
    // argv[1] is "verify".
    if (argc == 3 && (std::string(argv[2]) == "-h" || std::string(argv[2]) == "--help")) {
        std::cout << kUsageText;
        return kIntact;
    }
    if (argc != 3 || std::string(argv[2]).empty()) {
        std::cerr << kUsageText;
        return kUsage;
    }
    std::string directory = argv[2];
    while (directory.size() > 1 && directory.back() == '/') directory.pop_back();

    const copy::UniqueFd manifest(
        ::open(copy::manifest_path(directory).c_str(), O_RDONLY | O_CLOEXEC));
    if (!manifest) {
        std::cerr << "backupd verify: no manifest " << copy::manifest_path(directory) << " ("
                  << std::strerror(errno) << ")\n";
        return kUsage;
    }
    const copy::UniqueFd snapshot(
        ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!snapshot) {
        std::cerr << "backupd verify: cannot open the snapshot directory " << directory << " ("
                  << std::strerror(errno) << ")\n";
        return kUsage;
    }

    copy::VerifyOptions options;
    options.threads = std::max(2u, std::thread::hardware_concurrency());
    std::optional<core::VerifyReport> report;
    try {
        report = copy::verify_snapshot(snapshot.get(), manifest.get(), options);
    } catch (const copy::ManifestError& e) {
        std::cout << "manifest does not check: " << e.what() << "\n";
        return kMismatch;
    }
    if (!report) return kMismatch;  // no stop is ever requested here
    const std::int64_t entries =
        report->checked + report->mismatched + report->missing;  // what the manifest lists
    if (report->intact()) {
        std::cout << "intact: " << entries << " entries\n";
        return kIntact;
    }
    std::cout << "mismatched: " << report->mismatched << ", missing: " << report->missing
              << ", extra: " << report->extra << " (of " << entries << " entries)\n";
    for (const auto& path : report->paths) std::cout << path << "\n";
    if (report->paths.size() <
        static_cast<std::size_t>(report->mismatched + report->missing + report->extra)) {
        std::cout << "(only the first " << report->paths.size() << " paths are listed)\n";
    }
    return kMismatch;
}

}  // namespace backupd::daemon
