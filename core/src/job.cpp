#include "backupd/core/job.hpp"

#include "labels.hpp"

namespace backupd::core {
namespace {

constexpr detail::LabelTable<JobState, 5> kJobStateNames{{
    {JobState::queued, "queued"},
    {JobState::running, "running"},
    {JobState::succeeded, "succeeded"},
    {JobState::failed, "failed"},
    {JobState::cancelled, "cancelled"},
}};

}  // namespace

std::string_view to_string(JobState state) {
    return detail::label_of(kJobStateNames, state);
}

std::optional<JobState> parse_job_state(std::string_view text) {
    return detail::value_of(kJobStateNames, text);
}

bool is_terminal(JobState state) {
    return state == JobState::succeeded || state == JobState::failed ||
           state == JobState::cancelled;
}

}  // namespace backupd::core
