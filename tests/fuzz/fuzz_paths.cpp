// Fuzz target: the path checks that stand between a client and the disk: folder names
// (copy::validate_folder_name), paths inside a snapshot and restore targets
// (core::check_snapshot_path). Findings: a crash or sanitizer report, and an accepted path
// that breaks the documented rules (absolute, an empty, "." or ".." segment, a NUL, too long).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "backupd/copy/folder_name.hpp"
#include "backupd/core/snapshot_paths.hpp"

namespace {

using namespace backupd;

[[noreturn]] void finding(const char* what, std::string_view path) {
    std::fprintf(stderr, "fuzz_paths: %s: %.*s\n", what, static_cast<int>(path.size()),
                 path.data());
    std::abort();
}

// The rules both checks share: relative, plain segments only, no NUL.
bool plain_relative(std::string_view path) {
    if (path.starts_with('/') || path.find('\0') != std::string_view::npos) return false;
    while (true) {
        const std::size_t slash = path.find('/');
        const std::string_view segment = path.substr(0, slash);
        if (segment.empty() || segment == "." || segment == "..") return false;
        if (slash == std::string_view::npos) return true;
        path.remove_prefix(slash + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view path(reinterpret_cast<const char*>(data), size);

    if (const auto error = copy::validate_folder_name(path)) {
        if (copy::describe(*error).empty()) finding("folder name refused without a reason", path);
    } else if (!plain_relative(path) || path.size() > copy::kMaxFolderNameBytes) {
        finding("folder name accepted against the rules", path);
    }

    for (const bool allow_empty : {false, true}) {
        if (const auto error = core::check_snapshot_path(path, allow_empty)) {
            if (error->code != core::ErrorCode::invalid_path || error->message.empty())
                finding("snapshot path refused without invalid_path", path);
        } else if (!(allow_empty && path.empty()) &&
                   (!plain_relative(path) || path.size() > 4096)) {
            finding("snapshot path accepted against the rules", path);
        }
    }
    return 0;
}
