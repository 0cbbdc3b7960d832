// SqlSnapshotCatalog: snapshots read from the rows of the backup jobs that made them. Each
// statement is whole, beside the function that runs it; none differs between the dialects.
#include <limits>

#include "backupd/store/sql_snapshot_catalog.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "optional_values.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

// What makes a job row a snapshot. Its files live at `snapshot` under the backup root.
#define BACKUPD_IS_SNAPSHOT "kind = 'backup' AND state = 'succeeded' AND snapshot IS NOT NULL"
#define BACKUPD_SNAPSHOT_COLUMNS                                                                \
    "id, folder, snapshot, finished_at, files_total, bytes_total, bytes_copied, verify_state, " \
    "verified_at, manifest_algorithm, manifest_digest"

constexpr char kFindSnapshot[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS " FROM jobs WHERE id = :id AND " BACKUPD_IS_SNAPSHOT;

// Newest first; the keyset cursor is always bound (without one, past the largest id). Walks
// jobs_kind (kind, id) on SQLite, jobs_claim (state, id) on MariaDB, in id order either way.
constexpr char kListSnapshots[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS " FROM jobs WHERE " BACKUPD_IS_SNAPSHOT
    " AND id < :before ORDER BY id DESC LIMIT :limit";
// One folder's: walks jobs_folder (folder_key, id). The unary + keeps SQLite, which has no
// statistics (nothing runs ANALYZE) and sees a tie, from walking every backup through
// jobs_kind instead; MariaDB chooses jobs_folder by its statistics with or without it.
constexpr char kListFolderSnapshots[] =
    "SELECT " BACKUPD_SNAPSHOT_COLUMNS
    " FROM jobs WHERE +kind = 'backup' AND state = 'succeeded' AND snapshot IS NOT NULL "
    "AND folder_key = :folder_key AND folder = :folder AND id < :before "
    "ORDER BY id DESC LIMIT :limit";

#undef BACKUPD_IS_SNAPSHOT
#undef BACKUPD_SNAPSHOT_COLUMNS

// The columns of BACKUPD_SNAPSHOT_COLUMNS, in order.
struct SnapshotRow {
    long long id = 0;
    std::string folder;
    std::string path;
    boost::optional<std::string> finished_at;
    boost::optional<long long> files;
    boost::optional<long long> bytes;
    long long bytes_copied = 0;
    boost::optional<std::string> verify_state;
    boost::optional<std::string> verified_at;
    boost::optional<std::string> manifest_algorithm;
    boost::optional<std::string> manifest_digest;

    void bind_into(Statement& statement) {
        statement.into(id).into(folder).into(path).into(finished_at).into(files).into(bytes);
        statement.into(bytes_copied).into(verify_state).into(verified_at);
        statement.into(manifest_algorithm).into(manifest_digest);
    }

    core::Snapshot to_snapshot() const {
        core::Snapshot snapshot;
        snapshot.id = id;
        snapshot.folder = folder;
        snapshot.path = path;
        const auto slash = path.rfind('/');
        snapshot.name = slash == std::string::npos ? path : path.substr(slash + 1);
        // A succeeded job always has finished_at; read defensively all the same.
        if (finished_at) snapshot.created_at = db_time(*finished_at);
        snapshot.files = files.value_or(0);
        snapshot.bytes = bytes.value_or(0);
        snapshot.bytes_copied = bytes_copied;
        snapshot.verify_state = read_verify_state();
        snapshot.verified_at = optional_db_time(verified_at);
        if (manifest_algorithm && manifest_digest) {
            snapshot.manifest = core::ManifestSummary{*manifest_algorithm, *manifest_digest};
        }
        return snapshot;
    }

    // The column holds 'ok' or 'failed' (a CHECK constraint); NULL is never verified.
    core::VerifyState read_verify_state() const {
        if (!verify_state) return core::VerifyState::never;
        if (*verify_state == "ok") return core::VerifyState::ok;
        if (*verify_state == "failed") return core::VerifyState::failed;
        throw core::Error(
            core::ErrorCode::internal_error, "database error",
            "snapshot " + std::to_string(id) + " has unknown verify state '" + *verify_state + "'");
    }
};

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

// TEMP stubs: the store helper implements these.
std::vector<core::RetentionCandidate> SqlSnapshotCatalog::retention_candidates(std::string_view) {
    throw std::logic_error("not implemented");
}
bool SqlSnapshotCatalog::set_pinned(core::JobId, bool) { throw std::logic_error("not implemented"); }
std::optional<std::vector<core::Snapshot>> SqlSnapshotCatalog::start_pruning(
    const core::Claim&, const std::vector<core::JobId>&) {
    throw std::logic_error("not implemented");
}
std::vector<core::Snapshot> SqlSnapshotCatalog::pruning(std::string_view) {
    throw std::logic_error("not implemented");
}
void SqlSnapshotCatalog::finish_pruning(const std::vector<core::JobId>&) {
    throw std::logic_error("not implemented");
}
std::vector<std::pair<std::string, std::int64_t>> SqlSnapshotCatalog::count_by_folder() {
    throw std::logic_error("not implemented");
}

}  // namespace backupd::store
