#pragma once
// Building the outcomes a runner records (internal).

#include <string>

#include "backupd/copy/copy_tree.hpp"
#include "backupd/core/error.hpp"
#include "backupd/core/job.hpp"

namespace backupd::worker::detail {

inline core::Progress to_job_progress(const copy::CopyProgress& copied) {
    core::Progress progress;
    progress.files_copied = copied.files_copied;
    progress.files_linked = copied.files_linked;
    progress.bytes_copied = copied.bytes_copied;
    progress.files_total = copied.files_total;
    progress.bytes_total = copied.bytes_total;
    return progress;
}

inline core::JobOutcome failure(const core::Progress& progress, core::ErrorCode code,
                                std::string message) {
    core::JobOutcome outcome;
    outcome.state = core::JobState::failed;
    outcome.progress = progress;
    outcome.error = core::JobError{code, std::move(message)};
    return outcome;
}

// A failure whose message is the code's template around `subject`.
inline core::JobOutcome failure_for(const core::Progress& progress, core::ErrorCode code,
                                    std::string_view subject) {
    return failure(progress, code, core::message_for(code, subject));
}

inline core::JobOutcome success(const core::Progress& progress) {
    core::JobOutcome outcome;
    outcome.state = core::JobState::succeeded;
    outcome.progress = progress;
    return outcome;
}

}  // namespace backupd::worker::detail
