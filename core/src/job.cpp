#include "backupd/core/job.hpp"

#include <array>
#include <utility>

#include "backupd/core/error.hpp"

namespace backupd::core {
namespace {

constexpr std::array<std::pair<JobState, std::string_view>, 5> kJobStateNames{{
    {JobState::queued, "queued"},
    {JobState::running, "running"},
    {JobState::succeeded, "succeeded"},
    {JobState::failed, "failed"},
    {JobState::cancelled, "cancelled"},
}};

}  // namespace

std::string_view to_string(JobState state) {
    for (const auto& [value, name] : kJobStateNames) {
        if (value == state) return name;
    }
    return "unknown";
}

std::optional<JobState> parse_job_state(std::string_view text) {
    for (const auto& [value, name] : kJobStateNames) {
        if (name == text) return value;
    }
    return std::nullopt;
}

bool is_terminal(JobState state) {
    return state == JobState::succeeded || state == JobState::failed ||
           state == JobState::cancelled;
}

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::transient: return "transient";
        case ErrorKind::conflict: return "conflict";
        case ErrorKind::not_found: return "not_found";
        case ErrorKind::internal: return "internal";
    }
    return "internal";
}

}  // namespace backupd::core
