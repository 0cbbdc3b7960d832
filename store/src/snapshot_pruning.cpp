// SqlSnapshotCatalog's writes: pins, and the two steps that prune a snapshot (docs/design.md
// section "Plans"). A pruned snapshot's row stays, as the record of its backup job; its
// snapshot_state hides it from every read of the catalog from the moment a prune chose it.
// Each statement is whole, beside the function that runs it, rendered once per dialect.
#include "backupd/store/sql_snapshot_catalog.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "job_counts.hpp"
#include "job_values.hpp"
#include "snapshot_row.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

// --- pins -----------------------------------------------------------------------------------

constexpr char kSetPinned[] =
    "UPDATE jobs SET pinned = :pinned WHERE id = :id AND " BACKUPD_IS_SNAPSHOT;
// MySQL counts changed rows only: pinning a pinned snapshot changes none, so whether it exists
// is asked separately (after the update, which holds its row lock).
constexpr char kCountWhole[] = "SELECT COUNT(*) FROM jobs WHERE id = :id AND " BACKUPD_IS_SNAPSHOT;

// --- start_pruning ----------------------------------------------------------------------------

// The prune job's claim, confirmed and its row locked for the rest of the transaction, as a
// heartbeat does: zero rows means the lease is lost (requeued, re-claimed or cancelled).
constexpr char kConfirmClaim[] =
    "UPDATE jobs SET heartbeat_at = {now} "
    "WHERE id = :id AND state = 'running' AND lease_owner = :owner AND "
    "lease_incarnation = :incarnation AND attempt = :attempt";

constexpr char kSelectPrunable[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS
    " FROM jobs WHERE id = :snapshot_id AND pinned = 0 AND " BACKUPD_IS_SNAPSHOT;
// The same conditions again, so a pin or another prune that won the row meanwhile is respected.
constexpr char kMarkPruning[] =
    "UPDATE jobs SET snapshot_state = 'pruning' WHERE id = :snapshot_id AND pinned = 0 "
    "AND " BACKUPD_IS_SNAPSHOT;

// A restore or verify of the snapshot, queued or running: it is in use and stays. Walks
// jobs_claim (state, id) over the unfinished jobs (the + keeps SQLite off jobs_kind). A separate
// statement, not a subquery of kMarkPruning: MySQL refuses a subquery on the table an UPDATE
// writes (error 1093).
constexpr char kCountUses[] =
    "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running') "
    "AND snapshot_id = :snapshot_id AND +kind IN ('restore', 'verify')";

// Marks one snapshot; nullopt when it is not whole, unpinned and unused (any more): the
// candidates were chosen before this transaction, so each is checked again here.
std::optional<core::Snapshot> mark_pruning(soci::session& sql, const Dialect& dialect,
                                           core::JobId id, JobCountChanges& counts) {
    const long long key = id;
    SnapshotRow row;
    Statement select(sql, kSelectPrunable);
    row.bind_into(select);
    select.use(key, "snapshot_id");
    if (!select.first()) return std::nullopt;
    long long uses = 0;
    Statement in_use(sql, kCountUses);
    in_use.into(uses).use(key, "snapshot_id");
    in_use.first();
    if (uses > 0) return std::nullopt;
    Statement mark(sql, rendered<kMarkPruning>(dialect));
    mark.use(key, "snapshot_id");
    if (mark.run() != 1) return std::nullopt;
    core::Snapshot snapshot = row.to_snapshot();
    counts.snapshots(snapshot.folder, -1);
    return snapshot;
}

// --- pruning, finish_pruning -----------------------------------------------------------------

// Walks jobs_folder (folder_key, id).
constexpr char kSelectPruning[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS " FROM jobs WHERE " BACKUPD_MADE_FOLDER_SNAPSHOT(jobs)
    " AND snapshot_state = 'pruning' AND folder_key = :folder_key AND folder = :folder "
    "ORDER BY id";

constexpr char kMarkPruned[] =
    "UPDATE jobs SET snapshot_state = 'pruned', pruned_at = {now} "
    "WHERE id = :id AND snapshot_state = 'pruning'";

}  // namespace

bool SqlSnapshotCatalog::set_pinned(core::JobId id, bool pinned) {
    const Dialect& dialect = dialect_for(database_.backend());
    const long long key = id;
    const int value = pinned ? 1 : 0;
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        Statement update(sql, kSetPinned);
        update.use(value, "pinned").use(key, "id");
        if (update.run() == 1) return true;
        long long whole = 0;
        Statement count(sql, kCountWhole);
        count.into(whole).use(key, "id");
        count.first();
        return whole == 1;
    });
}

std::optional<std::vector<core::Snapshot>> SqlSnapshotCatalog::start_pruning(
    const core::Claim& claim, const std::vector<core::JobId>& ids) {
    const Dialect& dialect = dialect_for(database_.backend());
    const Fence fence(claim);
    return in_counted_transaction(
        database_.pool(), dialect,
        [&](soci::session& sql,
            JobCountChanges& counts) -> std::optional<std::vector<core::Snapshot>> {
            Statement confirm(sql, rendered<kConfirmClaim>(dialect));
            fence.bind(confirm);
            if (confirm.run() != 1) return std::nullopt;
            std::vector<core::Snapshot> marked;
            for (const core::JobId id : ids) {
                if (auto snapshot = mark_pruning(sql, dialect, id, counts)) {
                    marked.push_back(std::move(*snapshot));
                }
            }
            return marked;
        });
}

std::vector<core::Snapshot> SqlSnapshotCatalog::pruning(std::string_view folder) {
    const std::string name(folder);
    const std::string key = folder_key(name);
    return in_read(database_.pool(), [&](soci::session& sql) {
        SnapshotRow row;
        Statement statement(sql, kSelectPruning);
        row.bind_into(statement);
        statement.use(key, "folder_key").use(name, "folder");
        std::vector<core::Snapshot> snapshots;
        for (bool more = statement.first(); more; more = statement.next()) {
            snapshots.push_back(row.to_snapshot());
        }
        return snapshots;
    });
}

void SqlSnapshotCatalog::finish_pruning(const std::vector<core::JobId>& ids) {
    if (ids.empty()) return;
    const Dialect& dialect = dialect_for(database_.backend());
    in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        for (const core::JobId id : ids) {
            const long long key = id;
            Statement statement(sql, rendered<kMarkPruned>(dialect));
            statement.use(key, "id");
            statement.run();
        }
    });
}

}  // namespace backupd::store
