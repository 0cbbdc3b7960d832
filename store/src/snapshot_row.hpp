#pragma once
// The columns of a snapshot as read from the row of the backup job that made it, and their
// conversion to core::Snapshot (snapshot_reads.cpp, snapshot_pruning.cpp).

#include <string>

#include <boost/optional.hpp>

#include "backupd/core/snapshots.hpp"
#include "statement.hpp"

// What makes a job row a snapshot, in any pruning state. Its files live at `snapshot` under the
// backup root. Macros, so that each statement is still one whole string literal.
#define BACKUPD_MADE_SNAPSHOT "kind = 'backup' AND state = 'succeeded' AND snapshot IS NOT NULL"
// A snapshot on disk and whole: not chosen by a prune (snapshot_state NULL). The catalog's reads
// show only these.
#define BACKUPD_IS_SNAPSHOT BACKUPD_MADE_SNAPSHOT " AND snapshot_state IS NULL"
// The same two, for a statement that selects one folder's rows by jobs_folder (folder_key, id):
// `t` is the table's name or alias. The unary + on kind keeps SQLite, which has no statistics
// (nothing runs ANALYZE) and sees a tie, from walking every backup through jobs_kind instead;
// MariaDB chooses jobs_folder by its statistics with or without it. The caller adds the folder.
#define BACKUPD_MADE_FOLDER_SNAPSHOT(t) \
    "+" #t ".kind = 'backup' AND " #t ".state = 'succeeded' AND " #t ".snapshot IS NOT NULL"
#define BACKUPD_IS_FOLDER_SNAPSHOT(t) \
    BACKUPD_MADE_FOLDER_SNAPSHOT(t) " AND " #t ".snapshot_state IS NULL"
// The select list matching SnapshotRow::bind_into, in order.
#define BACKUPD_SNAPSHOT_COLUMNS                                                                \
    "id, folder, snapshot, finished_at, files_total, bytes_total, bytes_copied, verify_state, " \
    "verified_at, manifest_algorithm, manifest_digest, pinned"

namespace backupd::store {

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
    int pinned = 0;

    void bind_into(Statement& statement);
    // Throws core::Error (internal) on a verify state this binary does not know.
    core::Snapshot to_snapshot() const;
};

// The last segment of a snapshot's path: its name ("<YYYYMMDDTHHMMSSZ>-<id>").
std::string snapshot_name(const std::string& path);

}  // namespace backupd::store
