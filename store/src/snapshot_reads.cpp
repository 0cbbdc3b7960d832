// SqlSnapshotCatalog's reads: snapshots read from the rows of the backup jobs that made them,
// whole ones only (pins and the pruning steps are in snapshot_pruning.cpp). Each statement is
// whole, beside the function that runs it; none differs between the dialects.
#include <limits>

#include "backupd/store/sql_snapshot_catalog.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "job_counts.hpp"
#include "optional_values.hpp"
#include "snapshot_row.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

constexpr char kFindSnapshot[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS " FROM jobs WHERE id = :id AND " BACKUPD_IS_SNAPSHOT;

// Newest first; the keyset cursor is always bound (without one, past the largest id). Walks
// jobs_kind (kind, id) on SQLite, jobs_claim (state, id) on MariaDB, in id order either way.
constexpr char kListSnapshots[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS " FROM jobs WHERE " BACKUPD_IS_SNAPSHOT
    " AND id < :before ORDER BY id DESC LIMIT :limit";
// One folder's: walks jobs_folder (folder_key, id).
constexpr char kListFolderSnapshots[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS " FROM jobs WHERE " BACKUPD_IS_FOLDER_SNAPSHOT(jobs)
    " AND folder_key = :folder_key AND folder = :folder "
    "AND id < :before ORDER BY id DESC LIMIT :limit";

// Every whole snapshot of one folder (jobs_folder, as above), each with whether a restore or
// verify of it is queued or running, in one statement. The EXISTS walks jobs_claim (state, id)
// over the unfinished jobs only (the + keeps SQLite off jobs_kind, every restore ever made).
constexpr char kRetentionCandidates[] =
    "SELECT s.id, s.snapshot, s.finished_at, s.pinned, "
    "CASE WHEN EXISTS (SELECT 1 FROM jobs u WHERE u.state IN ('queued', 'running') "
    "AND u.snapshot_id = s.id AND +u.kind IN ('restore', 'verify')) THEN 1 ELSE 0 END "
    "FROM jobs s WHERE " BACKUPD_IS_FOLDER_SNAPSHOT(
        s) " AND s.folder_key = :folder_key AND s.folder = :folder";

}  // namespace

std::optional<core::Snapshot> SqlSnapshotCatalog::find(core::JobId id) {
    const long long key = id;
    return in_read(database_.pool(), [&](soci::session& sql) -> std::optional<core::Snapshot> {
        Statement statement(sql, kFindSnapshot);
        SnapshotRow row;
        row.bind_into(statement);
        statement.use(key, "id");
        if (!statement.first()) return std::nullopt;
        return row.to_snapshot();
    });
}

core::SnapshotPage SqlSnapshotCatalog::list(const core::SnapshotFilter& filter) {
    if (filter.limit == 0) return {};
    const std::string key = filter.folder ? folder_key(*filter.folder) : "";
    const long long before = filter.before.value_or(std::numeric_limits<long long>::max());
    // One row more than asked tells whether another page follows.
    const long long limit = static_cast<long long>(filter.limit) + 1;

    return in_read(database_.pool(), [&](soci::session& sql) {
        Statement statement(sql, filter.folder ? kListFolderSnapshots : kListSnapshots);
        SnapshotRow row;
        row.bind_into(statement);
        if (filter.folder) statement.use(key, "folder_key").use(*filter.folder, "folder");
        statement.use(before, "before").use(limit, "limit");
        core::SnapshotPage page;
        for (bool more = statement.first(); more; more = statement.next()) {
            if (page.snapshots.size() == filter.limit) {
                page.next = page.snapshots.back().id;
                break;
            }
            page.snapshots.push_back(row.to_snapshot());
        }
        return page;
    });
}

std::vector<core::RetentionCandidate> SqlSnapshotCatalog::retention_candidates(
    std::string_view folder) {
    const std::string name(folder);
    const std::string key = folder_key(name);
    return in_read(database_.pool(), [&](soci::session& sql) {
        long long id = 0;
        std::string path;
        boost::optional<std::string> finished_at;
        int pinned = 0, in_use = 0;
        Statement statement(sql, kRetentionCandidates);
        statement.into(id).into(path).into(finished_at).into(pinned).into(in_use);
        statement.use(key, "folder_key").use(name, "folder");
        std::vector<core::RetentionCandidate> candidates;
        for (bool more = statement.first(); more; more = statement.next()) {
            candidates.push_back(
                {.id = id,
                 .name = snapshot_name(path),
                 .created_at = finished_at ? db_time(*finished_at) : core::Timestamp{},
                 .pinned = pinned != 0,
                 .in_use = in_use != 0});
        }
        return candidates;
    });
}

std::vector<std::pair<std::string, std::int64_t>> SqlSnapshotCatalog::count_by_folder() {
    // From the kept counts (job_counts.hpp): one row per folder, at any number of snapshots.
    return in_read(database_.pool(), [](soci::session& sql) { return counted_snapshots(sql); });
}

}  // namespace backupd::store
