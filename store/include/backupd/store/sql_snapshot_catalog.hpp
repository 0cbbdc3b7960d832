#pragma once
// The snapshot catalog on SQLite or MySQL (docs/design.md section 6): a snapshot is the row of
// the backup job that made it, once that job succeeded with a snapshot path, until a prune
// chooses it (jobs.snapshot_state). Reads in store/src/snapshot_reads.cpp, pins and pruning
// steps in snapshot_pruning.cpp. Thread-safety: as core::SnapshotCatalog (each call leases its
// own connection; calls block).

#include "backupd/core/snapshots.hpp"
#include "backupd/store/database.hpp"

namespace backupd::store {

class SqlSnapshotCatalog final : public core::SnapshotCatalog {
public:
    explicit SqlSnapshotCatalog(Database& database) : database_(database) {}

    // nullopt when `id` is no job, or a job that made no snapshot.
    std::optional<core::Snapshot> find(core::JobId id) override;
    // Newest first, keyset-paged by id like the job list; one folder when the filter names one.
    core::SnapshotPage list(const core::SnapshotFilter& filter) override;
    std::vector<core::RetentionCandidate> retention_candidates(std::string_view folder) override;
    bool set_pinned(core::JobId id, bool pinned) override;
    // Checks each id again inside its transaction: whole, not pinned, and no restore or verify
    // of it queued or running (a job submitted since retention_candidates read it wins).
    std::optional<std::vector<core::Snapshot>> start_pruning(
        const core::Claim& claim, const std::vector<core::JobId>& ids) override;
    std::vector<core::Snapshot> pruning(std::string_view folder) override;
    void finish_pruning(const std::vector<core::JobId>& ids) override;
    std::vector<std::pair<std::string, std::int64_t>> count_by_folder() override;

private:
    Database& database_;
};

}  // namespace backupd::store
