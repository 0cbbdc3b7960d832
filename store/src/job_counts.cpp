// The job counts (job_counts.hpp): the changes a transaction writes, the reads of /stats and
// /metrics, and the recount `backupd migrate` does. Each statement is beside the function that
// runs it.
#include "job_counts.hpp"

#include <random>

#include "backupd/core/error.hpp"
#include "backupd/store/migrations.hpp"
#include "column_text.hpp"
#include "folder_key.hpp"
#include "job_row.hpp"
#include "optional_values.hpp"
#include "snapshot_row.hpp"
#include "statement.hpp"

namespace backupd::store {
namespace {

// Slots per (kind, state): enough that a handful of workers seldom pick the same one.
constexpr int kSlots = 16;

// The two statements differ only in how each backend spells "add to the row if it exists".
constexpr char kAddMysql[] =
    "INSERT INTO job_counts (slot, kind, state, jobs, bytes_copied) "
    "VALUES (:slot, :kind, :state, :jobs, :bytes) "
    "ON DUPLICATE KEY UPDATE jobs = jobs + VALUES(jobs), "
    "bytes_copied = bytes_copied + VALUES(bytes_copied)";
constexpr char kAddSqlite[] =
    "INSERT INTO job_counts (slot, kind, state, jobs, bytes_copied) "
    "VALUES (:slot, :kind, :state, :jobs, :bytes) "
    "ON CONFLICT (slot, kind, state) DO UPDATE SET jobs = jobs + excluded.jobs, "
    "bytes_copied = bytes_copied + excluded.bytes_copied";

// One row per folder: a folder's snapshots are made and pruned one job at a time.
constexpr char kAddSnapshotsMysql[] =
    "INSERT INTO snapshot_counts (folder_key, folder, snapshots) "
    "VALUES (:folder_key, :folder, :change) "
    "ON DUPLICATE KEY UPDATE snapshots = snapshots + VALUES(snapshots)";
constexpr char kAddSnapshotsSqlite[] =
    "INSERT INTO snapshot_counts (folder_key, folder, snapshots) "
    "VALUES (:folder_key, :folder, :change) "
    "ON CONFLICT (folder_key) DO UPDATE SET snapshots = snapshots + excluded.snapshots";

int random_slot() {
    thread_local std::minstd_rand random{std::random_device{}()};
    return std::uniform_int_distribution<int>(0, kSlots - 1)(random);
}

core::JobCounts& counts_of(core::Stats& stats, core::JobKind kind) {
    switch (kind) {
        case core::JobKind::backup: return stats;
        case core::JobKind::restore: return stats.restores;
        case core::JobKind::verify: return stats.verifies;
        case core::JobKind::prune: return stats.prunes;
    }
    return stats;
}

std::int64_t& count_of(core::JobCounts& counts, core::JobState state) {
    switch (state) {
        case core::JobState::queued: return counts.queued;
        case core::JobState::running: return counts.running;
        case core::JobState::succeeded: return counts.succeeded;
        case core::JobState::failed: return counts.failed;
        case core::JobState::cancelled: return counts.cancelled;
    }
    return counts.failed;
}

// Adds one group's figures (kind, state: as stored) to `stats`; bytes count the backups' only,
// the bytes copied into snapshots (a restore's copies leave them).
void add_group(core::Stats& stats, const std::string& kind, const std::string& state,
               long long jobs, long long bytes) {
    const core::JobKind parsed_kind = stored_kind(0, kind);
    core::JobCounts& counts = counts_of(stats, parsed_kind);
    counts.total += jobs;
    count_of(counts, stored_state(0, state)) += jobs;
    if (parsed_kind == core::JobKind::backup) stats.bytes_copied += bytes;
}

// The slots summed per group (a slot alone may be negative: a job counted into one slot when
// created leaves through another).
constexpr char kSelectCounts[] =
    "SELECT kind, state, SUM(jobs), SUM(bytes_copied) FROM job_counts GROUP BY kind, state";

// Walks an index on state: the running jobs are a few per node. The + keeps SQLite, which has
// no statistics, off jobs_finished (kind, ...): every backup ever run (measured: 0.4 s at a
// million jobs).
constexpr char kSelectRunningBytes[] =
    "SELECT COALESCE(SUM(bytes_copied), 0) FROM jobs WHERE state = 'running' AND +kind = 'backup'";

// The oldest queued job of any kind (they share one queue) is the lowest queued id: one probe of
// jobs_claim (state, id), where MIN(submitted_at) would read every queued job.
constexpr char kSelectOldestQueued[] =
    "SELECT submitted_at FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1";

// Every job, grouped (the figures counted_stats keeps, found the slow way).
constexpr char kScanJobs[] =
    "SELECT kind, state, COUNT(*), COALESCE(SUM(bytes_copied), 0), MIN(submitted_at) "
    "FROM jobs GROUP BY kind, state";

constexpr char kSelectSnapshotCounts[] =
    "SELECT folder, snapshots FROM snapshot_counts WHERE snapshots <> 0 ORDER BY folder";

// The recount: the counts from the jobs table, into slot 0 (the running jobs' bytes left out,
// as job_counts.hpp says), and the whole snapshots per folder. Also the statements of
// migration 0006.
constexpr char kDeleteCounts[] = "DELETE FROM job_counts";
constexpr char kDeleteSnapshotCounts[] = "DELETE FROM snapshot_counts";
constexpr char kRecountSnapshots[] =
    "INSERT INTO snapshot_counts (folder_key, folder, snapshots) "
    "SELECT folder_key, MIN(folder), COUNT(*) FROM jobs WHERE " BACKUPD_IS_SNAPSHOT
    " GROUP BY folder_key";
constexpr char kRecount[] =
    "INSERT INTO job_counts (slot, kind, state, jobs, bytes_copied) "
    "SELECT 0, kind, state, COUNT(*), "
    "COALESCE(SUM(CASE WHEN state = 'running' THEN 0 ELSE bytes_copied END), 0) "
    "FROM jobs GROUP BY kind, state";

bool same_counts(const core::JobCounts& a, const core::JobCounts& b) {
    return a.total == b.total && a.queued == b.queued && a.running == b.running &&
           a.succeeded == b.succeeded && a.failed == b.failed && a.cancelled == b.cancelled;
}

}  // namespace

void JobCountChanges::created(core::JobKind kind, core::JobState state) {
    add(kind, state, 1, 0);
}

void JobCountChanges::moved(core::JobKind kind, core::JobState from, long long from_bytes,
                            core::JobState to, long long to_bytes) {
    add(kind, from, -1, -from_bytes);
    add(kind, to, 1, to_bytes);
}

void JobCountChanges::add(core::JobKind kind, core::JobState state, long long jobs,
                          long long bytes) {
    Change& change =
        changes_[{std::string(core::to_string(kind)), std::string(core::to_string(state))}];
    change.jobs += jobs;
    if (state != core::JobState::running) change.bytes += bytes;
}

void JobCountChanges::snapshots(const std::string& folder, long long change) {
    auto& entry = snapshots_[folder_key(folder)];
    entry.first = folder;
    entry.second += change;
}

void JobCountChanges::apply(soci::session& sql, const Dialect& dialect) const {
    const bool mysql = dialect.backend == Backend::mysql;
    const int slot = random_slot();
    const char* text = mysql ? kAddMysql : kAddSqlite;
    for (const auto& [key, change] : changes_) {  // std::map: key order
        if (change.jobs == 0 && change.bytes == 0) continue;
        Statement statement(sql, text);
        statement.use(slot, "slot").use(key.first, "kind").use(key.second, "state");
        statement.use(change.jobs, "jobs").use(change.bytes, "bytes");
        statement.run();
    }
    for (const auto& [key, entry] : snapshots_) {
        if (entry.second == 0) continue;
        const std::string folder = column_text(entry.first, kFolderChars);
        Statement statement(sql, mysql ? kAddSnapshotsMysql : kAddSnapshotsSqlite);
        statement.use(key, "folder_key").use(folder, "folder").use(entry.second, "change");
        statement.run();
    }
}

std::vector<std::pair<std::string, std::int64_t>> counted_snapshots(soci::session& sql) {
    std::string folder;
    long long count = 0;
    Statement statement(sql, kSelectSnapshotCounts);
    statement.into(folder).into(count);
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (bool more = statement.first(); more; more = statement.next()) {
        counts.emplace_back(folder, count);
    }
    return counts;
}

core::Stats counted_stats(soci::session& sql) {
    core::Stats stats;
    std::string kind, state;
    long long jobs = 0, bytes = 0;
    Statement counts(sql, kSelectCounts);
    counts.into(kind).into(state).into(jobs).into(bytes);
    for (bool more = counts.first(); more; more = counts.next()) {
        add_group(stats, kind, state, jobs, bytes);
    }
    long long running_bytes = 0;
    Statement running(sql, kSelectRunningBytes);
    running.into(running_bytes);
    running.first();
    stats.bytes_copied += running_bytes;
    std::string oldest;
    Statement queued(sql, kSelectOldestQueued);
    queued.into(oldest);
    if (queued.first()) stats.oldest_queued_at = db_time(oldest);
    return stats;
}

core::Stats scanned_stats(soci::session& sql) {
    core::Stats stats;
    std::string kind, state;
    long long jobs = 0, bytes = 0;
    boost::optional<std::string> oldest;
    Statement statement(sql, kScanJobs);
    statement.into(kind).into(state).into(jobs).into(bytes).into(oldest);
    for (bool more = statement.first(); more; more = statement.next()) {
        add_group(stats, kind, state, jobs, bytes);
        if (state == "queued" && oldest) {
            const core::Timestamp at = db_time(*oldest);
            if (!stats.oldest_queued_at || at < *stats.oldest_queued_at) {
                stats.oldest_queued_at = at;
            }
        }
    }
    return stats;
}

RecountReport recount_jobs(Database& database) {
    const Dialect& dialect = dialect_for(database.backend());
    return in_transaction(database.pool(), dialect, [&](soci::session& sql) {
        const core::Stats kept = counted_stats(sql);
        const auto kept_snapshots = counted_snapshots(sql);
        sql << kDeleteCounts;
        sql << kRecount;
        sql << kDeleteSnapshotCounts;
        sql << kRecountSnapshots;
        const core::Stats counted = counted_stats(sql);
        const bool same =
            same_counts(kept, counted) && same_counts(kept.restores, counted.restores) &&
            same_counts(kept.verifies, counted.verifies) &&
            same_counts(kept.prunes, counted.prunes) && kept.bytes_copied == counted.bytes_copied &&
            kept_snapshots == counted_snapshots(sql);
        return RecountReport{.jobs = counted.total + counted.restores.total +
                                     counted.verifies.total + counted.prunes.total,
                             .corrected = !same};
    });
}

}  // namespace backupd::store
