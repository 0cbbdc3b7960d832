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

constexpr detail::LabelTable<JobKind, 4> kJobKindNames{{
    {JobKind::backup, "backup"},
    {JobKind::restore, "restore"},
    {JobKind::verify, "verify"},
    {JobKind::prune, "prune"},
}};

constexpr detail::LabelTable<Overwrite, 3> kOverwriteNames{{
    {Overwrite::never, "never"},
    {Overwrite::if_changed, "if-changed"},
    {Overwrite::always, "always"},
}};

}  // namespace

std::string_view to_string(JobKind kind) {
    return detail::label_of(kJobKindNames, kind);
}

std::optional<JobKind> parse_job_kind(std::string_view text) {
    return detail::value_of(kJobKindNames, text);
}

std::string_view to_string(Overwrite overwrite) {
    return detail::label_of(kOverwriteNames, overwrite);
}

std::optional<Overwrite> parse_overwrite(std::string_view text) {
    return detail::value_of(kOverwriteNames, text);
}

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
