#pragma once
// A migrated scratch database with a job queue and an audit log on it.

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "backupd/store/database.hpp"
#include "backupd/store/migrations.hpp"
#include "backupd/store/sql_audit_log.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "printing.hpp"
#include "scratch_database.hpp"

namespace backupd::testing {

struct QueueFixture {
    ScratchDatabase scratch;
    std::unique_ptr<store::Database> database = scratch.open();
    store::SqlAuditLog audit{*database};
    store::SqlJobQueue queue{*database};

    QueueFixture() { store::migrate(*database); }

    // A queue on the same database whose claims last `lease`.
    std::unique_ptr<store::SqlJobQueue> queue_with_lease(std::chrono::milliseconds lease) {
        return std::make_unique<store::SqlJobQueue>(*database, store::QueueOptions{lease});
    }

    // A job for `folder` submitted from a fixed client address.
    static core::NewJob job_for(std::string folder) {
        core::NewJob job;
        job.folder = std::move(folder);
        job.client_address = "192.0.2.7";
        return job;
    }

    // A successful attempt that copied 10 files, linked 4 and wrote `snapshot`.
    static core::JobOutcome success(std::string snapshot) {
        core::JobOutcome outcome;
        outcome.state = core::JobState::succeeded;
        outcome.snapshot = std::move(snapshot);
        outcome.progress = {10, 4, 4096, 14, 8192};
        return outcome;
    }

    // A succeeded backup of `folder`, claimed by `owner` at once (nothing else may be queued):
    // a snapshot "<folder>/20261124T140523Z-<id>". Returns its id.
    core::JobId snapshot_of(const std::string& folder,
                            const core::LeaseOwner& owner = {"node-a", "incarnation-1"}) {
        const auto job = queue.enqueue(job_for(folder));
        const auto claim = queue.claim(owner).value();
        BOOST_REQUIRE(claim.job.id == job.id);
        BOOST_REQUIRE(
            queue.finish(claim, success(folder + "/20261124T140523Z-" + std::to_string(job.id))));
        return job.id;
    }

    static core::JobOutcome failure(core::ErrorCode code, std::string message) {
        core::JobOutcome outcome;
        outcome.state = core::JobState::failed;
        outcome.error = core::JobError{code, std::move(message)};
        return outcome;
    }

    // Every audit record, oldest first.
    std::vector<core::AuditRecord> all_audit_records() {
        core::AuditQuery query;
        query.limit = 10000;
        return audit.page(query).records;
    }
};

}  // namespace backupd::testing
