// A verify attempt: re-read a snapshot and compare it with its manifest.
#include <system_error>

#include <spdlog/spdlog.h>

#include "attempt.hpp"
#include "backupd/copy/manifest.hpp"
#include "backupd/copy/snapshot_files.hpp"
#include "backupd/copy/verify_snapshot.hpp"
#include "backupd/core/error.hpp"
#include "backupd/worker/job_runner.hpp"
#include "outcomes.hpp"

namespace backupd::worker {
namespace {

using detail::failure_for;

// "2 mismatched, 1 missing, 0 extra (of 140 entries): a.txt, sub/b.bin"
std::string describe(const core::VerifyReport& report) {
    std::string text = std::to_string(report.mismatched) + " mismatched, " +
                       std::to_string(report.missing) + " missing, " +
                       std::to_string(report.extra) + " extra";
    std::string separator = ": ";
    for (const auto& path : report.paths) {
        if (text.size() + separator.size() + path.size() > 400) {
            text += ", ...";
            break;
        }
        text += separator + path;
        separator = ", ";
    }
    return text;
}

}  // namespace

RunOutcome JobRunner::run_verify(const core::Claim& claim, const std::stop_token& shutdown) {
    const core::Job& job = claim.job;
    detail::Attempt attempt(queue_, claim, shutdown);
    const std::string subject = "snapshot " + std::to_string(job.snapshot_id.value_or(0));
    copy::VerifyOptions options;
    options.threads = options_.copy_threads;
    options.stop = attempt.work_stop();
    options.on_progress = [&](const core::Progress& p) { attempt.heartbeat().update(p); };

    try {
        const copy::UniqueFd snapshot = job.snapshot && job.snapshot_id
                                            ? copy::open_snapshot(roots_.backups, *job.snapshot)
                                            : copy::UniqueFd{};
        if (!snapshot) {
            attempt.end_heartbeat();
            return record_failure(claim, failure_for({}, core::ErrorCode::not_found,
                                                     subject + " is no longer on disk"));
        }
        const copy::UniqueFd manifest = copy::open_manifest(roots_.backups, *job.snapshot);
        if (!manifest) {
            attempt.end_heartbeat();
            return record_failure(claim, failure_for({}, core::ErrorCode::no_manifest, subject));
        }
        // The manifest must be the one recorded when the snapshot was made: one rewritten along
        // with the files it describes would otherwise vouch for them.
        const core::ManifestSummary found =
            copy::read_manifest(manifest.get(), [](copy::ManifestEntry&&) {});
        const auto backup = queue_.find(*job.snapshot_id);
        if (backup && backup->manifest && backup->manifest->digest != found.digest) {
            attempt.end_heartbeat();
            return record_failure(
                claim,
                failure_for({}, core::ErrorCode::verify_mismatch,
                            "the manifest is not the one recorded when the snapshot was "
                            "made (digest " +
                                found.digest + ", recorded " + backup->manifest->digest + ")"));
        }
        const auto report = copy::verify_snapshot(snapshot.get(), manifest.get(), options,
                                                  roots_.backups.filesystem());
        if (!report || attempt.lease_lost()) {
            attempt.end_heartbeat();
            return give_back(claim, attempt.lease_lost());
        }
        const core::Progress progress = attempt.progress();
        attempt.end_heartbeat();
        core::JobOutcome outcome =
            report->intact()
                ? detail::success(progress)
                : failure_for(progress, core::ErrorCode::verify_mismatch, describe(*report));
        outcome.verify = *report;
        return report->intact() ? record_success(claim, outcome) : record_failure(claim, outcome);
    } catch (const copy::ManifestError& e) {
        spdlog::warn("event=manifest_unreadable job={} error=\"{}\"", job.id, e.what());
        attempt.end_heartbeat();
        return record_failure(
            claim, failure_for({}, core::ErrorCode::no_manifest, subject + " (" + e.what() + ")"));
    } catch (const std::system_error& e) {
        spdlog::error("event=snapshot_read_failed job={} error=\"{}\"", job.id, e.what());
        const core::Progress progress = attempt.progress();
        attempt.end_heartbeat();
        return record_failure(
            claim, failure_for(progress, core::ErrorCode::snapshot_unreadable, e.code().message()));
    }
}

}  // namespace backupd::worker
