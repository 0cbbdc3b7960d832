// A restore attempt: copy the chosen paths of a snapshot into the restore root (or, in place,
// into the source folder), each file under a temporary name renamed into place.
#include <system_error>

#include <spdlog/spdlog.h>

#include "attempt.hpp"
#include "backupd/copy/restore_tree.hpp"
#include "backupd/copy/snapshot_files.hpp"
#include "backupd/copy/source_folder.hpp"
#include "backupd/core/error.hpp"
#include "backupd/worker/job_runner.hpp"
#include "backupd/worker/source_folders.hpp"
#include "outcomes.hpp"

namespace backupd::worker {
namespace {

using detail::failure_for;
using detail::to_job_progress;

// A failure to write the target, with the system's reason (a full disk says "No space left
// on device"). Never a server path: the target is named as the client gave it.
core::JobOutcome write_failure(const core::Progress& progress, const std::string& target,
                               const std::error_code& error) {
    return failure_for(progress, core::ErrorCode::restore_failed, target + ": " + error.message());
}

}  // namespace

RunOutcome JobRunner::run_restore(const core::Claim& claim, const std::stop_token& shutdown) {
    const core::Job& job = claim.job;
    detail::Attempt attempt(queue_, claim, shutdown);
    if (!job.restore || !job.snapshot || !job.snapshot_id) {
        attempt.end_heartbeat();
        return record_failure(claim, failure_for({}, core::ErrorCode::internal_error, {}));
    }
    const core::RestoreSpec& spec = *job.restore;
    copy::RestoreOptions options;
    options.overwrite = spec.overwrite;
    options.resume = job.attempt > 1;
    options.stop = attempt.work_stop();
    options.on_progress = [&](const copy::CopyProgress& p) {
        attempt.heartbeat().update(to_job_progress(p));
    };

    try {
        const copy::UniqueFd snapshot = copy::open_snapshot(roots_.backups, *job.snapshot);
        if (!snapshot) {
            attempt.end_heartbeat();
            return record_failure(claim,
                                  failure_for({}, core::ErrorCode::not_found,
                                              "snapshot " + std::to_string(*job.snapshot_id) +
                                                  " is no longer on disk"));
        }
        copy::UniqueFd target;
        if (spec.in_place) {
            auto opened = copy::open_source_folder(roots_.sources, spec.target);
            if (const auto* error = std::get_if<copy::SourceFolderError>(&opened)) {
                attempt.end_heartbeat();
                auto reason = folder_error(*error, spec.target);
                return record_failure(claim,
                                      detail::failure({}, reason.code, std::move(reason.message)));
            }
            target = std::move(std::get<copy::UniqueFd>(opened));
        } else {
            target = copy::open_restore_target(roots_.restores, spec.target);
        }

        const copy::RestoreResult result = copy::restore_tree(
            snapshot.get(), spec.paths, target.get(), options, roots_.backups.filesystem());
        const core::Progress progress = to_job_progress(result.progress);
        if (result.status == copy::RestoreStatus::stopped || attempt.lease_lost()) {
            attempt.end_heartbeat();
            return give_back(claim, attempt.lease_lost());
        }
        attempt.end_heartbeat();
        if (result.status == copy::RestoreStatus::conflict) {
            return record_failure(claim, failure_for(progress, core::ErrorCode::restore_conflict,
                                                     result.conflict.value_or(spec.target)));
        }
        return record_success(claim, detail::success(progress));
    } catch (const core::Error& e) {
        // The snapshot does not hold a path, or a link stands in the way.
        const core::Progress progress = attempt.progress();
        attempt.end_heartbeat();
        return record_failure(claim, detail::failure(progress, e.code(), e.what()));
    } catch (const std::system_error& e) {
        spdlog::error("event=restore_write_failed job={} error=\"{}\"", job.id, e.what());
        const core::Progress progress = attempt.progress();
        attempt.end_heartbeat();
        return record_failure(claim, write_failure(progress, spec.target, e.code()));
    }
}

}  // namespace backupd::worker
