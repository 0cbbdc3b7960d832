#include "backupd/core/snapshot_paths.hpp"

#include "backupd/core/utf8.hpp"

namespace backupd::core {
namespace {

constexpr std::size_t kMaxPathBytes = 4096;

JobError invalid(std::string_view path, std::string_view reason) {
    // The path is quoted (cut, repaired) so the message stays readable whatever was sent.
    std::string subject = "'" + to_valid_utf8(path, 64) + "' " + std::string(reason);
    return {ErrorCode::invalid_path, message_for(ErrorCode::invalid_path, subject)};
}

}  // namespace

std::optional<JobError> check_snapshot_path(std::string_view path, bool allow_empty) {
    if (path.empty()) {
        if (allow_empty) return std::nullopt;
        return JobError{ErrorCode::invalid_path,
                        message_for(ErrorCode::invalid_path, "the path is empty")};
    }
    if (path.size() > kMaxPathBytes) return invalid(path, "is longer than 4096 bytes");
    if (path.find('\0') != std::string_view::npos) {
        return JobError{ErrorCode::invalid_path,
                        message_for(ErrorCode::invalid_path, "the path contains a NUL byte")};
    }
    if (!is_valid_utf8(path)) return invalid(path, "is not valid UTF-8");
    if (path.front() == '/') return invalid(path, "is absolute; give it relative to the snapshot");
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view segment = path.substr(start, end - start);
        if (segment.empty()) return invalid(path, "has an empty segment");
        if (segment == "." || segment == "..") {
            return invalid(path, "has a '" + std::string(segment) + "' segment");
        }
        start = end + 1;
    }
    return std::nullopt;
}

std::string default_restore_target(std::string_view folder, std::string_view snapshot_name) {
    std::string target(folder);
    target += '/';
    target += snapshot_name;
    return target;
}

}  // namespace backupd::core
