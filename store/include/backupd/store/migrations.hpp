#pragma once
// The migration runner: applies the schema migrations embedded in the binary, in order, each
// recorded in schema_migrations. Several nodes may start at once: on MySQL they serialise on a
// named lock, on SQLite on the write lock (and there each migration is atomic; MySQL commits
// DDL implicitly, so a migration that fails half-way there needs an operator).

#include <string>
#include <vector>

#include "backupd/store/database.hpp"

namespace backupd::store {

struct MigrationReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<std::string> applied;  // "0001_jobs_and_audit_log", ...
};

// The newest schema version this binary knows for `backend`.
int latest_schema_version(Backend backend);

// The version the database is at (0 for an empty database).
int schema_version(Database& database);

// Applies the pending migrations; a no-op when there are none. Throws core::Error: transient
// when the database is unreachable, internal when the database's schema is newer than this
// binary knows (the message says so) or a migration fails.
MigrationReport migrate(Database& database);

// As migrate, applying only the migrations up to `up_to_version`: how tests build a database as
// an older backupd left it, to check an upgrade from it.
MigrationReport migrate(Database& database, int up_to_version);

struct RecountReport {
    long long jobs = 0;      // the jobs counted
    bool corrected = false;  // the kept counts differed from the jobs table (and were replaced)
};

// Rebuilds the job counts that GET /api/v1/stats reads (job_counts, docs/design.md section 4)
// from the jobs table, in one transaction: `backupd migrate` runs it after the migrations, to
// repair counts left wrong by hand edits of the table or by daemons older than migration 0006
// still running during a rolling upgrade. Exact when no daemon changes jobs meanwhile (MySQL
// reads READ COMMITTED). Throws core::Error as migrate does.
RecountReport recount_jobs(Database& database);

}  // namespace backupd::store
