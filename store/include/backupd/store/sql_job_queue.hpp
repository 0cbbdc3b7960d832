#pragma once
// The job queue on SQLite or MySQL (docs/design.md section 5). Thread-safety: as core::JobQueue.
// One class, its methods spread by concern: store/src/job_writes.cpp (enqueue, claim and the
// fenced writes after it), job_finish.cpp (how an attempt ends), job_recovery.cpp (cancel,
// reaper, restart) and job_reads.cpp. Jobs of every kind share the queue; the snapshots their
// backups made are read through SqlSnapshotCatalog (sql_snapshot_catalog.hpp).

#include <chrono>

#include "backupd/core/job_queue.hpp"
#include "backupd/store/database.hpp"

namespace backupd::store {

struct QueueOptions {
    // How long a claim lives without a heartbeat: the one default of the lease. Each claim
    // carries it (core::Claim::lease) and workers heartbeat every lease/3; a shorter lease
    // detects a dead node sooner but costs more writes.
    std::chrono::milliseconds lease{30000};
};

class SqlJobQueue final : public core::JobQueue {
public:
    SqlJobQueue(Database& database, QueueOptions options = {})
        : database_(database), options_(options) {}

    core::Job enqueue(const core::NewJob& job) override;
    std::vector<core::Job> enqueue_batch(const std::vector<core::NewJob>& jobs) override;
    std::optional<core::Claim> claim(const core::LeaseOwner& owner) override;
    [[nodiscard]] bool heartbeat(const core::Claim& claim, const core::Progress& progress) override;
    [[nodiscard]] bool finish(const core::Claim& claim, const core::JobOutcome& outcome) override;
    [[nodiscard]] bool release(const core::Claim& claim) override;
    core::CancelResult cancel(core::JobId id) override;
    core::ReapResult reap_expired(std::size_t limit) override;
    core::ReapResult expire_previous_incarnations(const core::LeaseOwner& current) override;
    std::optional<core::Job> find(core::JobId id) override;
    core::JobPage list(const core::JobFilter& filter) override;
    core::Stats stats() override;
    std::vector<core::DayCounts> daily_counts(core::JobKind kind,
                                              core::TimeRange finished) override;

    // The figures stats() reads from the kept counts, counted from the jobs table itself (a
    // scan of every job): what the counts must always equal.
    core::Stats stats_from_jobs();

private:
    Database& database_;
    QueueOptions options_;
};

}  // namespace backupd::store
