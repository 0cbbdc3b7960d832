#pragma once
// Opening the configured database: shared by `serve` and `migrate`.

#include <memory>

#include "backupd/store/database.hpp"
#include "config.hpp"

namespace backupd::daemon {

// Parses the URL (password from BACKUPD_DATABASE_PASSWORD when the URL has none) and makes the
// handle without touching the database (it connects lazily). Throws std::runtime_error with a
// one-line reason when the URL is malformed.
std::unique_ptr<store::Database> make_database(const Config& config);

// Waits up to config.database_wait for the database to answer. Throws std::runtime_error with
// a one-line reason when it never does.
void wait_for_database(store::Database& database, const Config& config);

// Both of the above.
std::unique_ptr<store::Database> open_database(const Config& config);

// As open_database, for schema work (migrations, the job recount): one connection whose
// statements may run as long as one over the whole jobs table takes (minutes at millions of
// rows on a busy server), where the serving handle gives up after its I/O timeout (30 s).
std::unique_ptr<store::Database> open_schema_database(const Config& config);

}  // namespace backupd::daemon
