#pragma once
// Opening the configured database: shared by `serve` and `migrate`.

#include <memory>

#include "backupd/store/database.hpp"
#include "config.hpp"

namespace backupd::daemon {

// Parses the URL (password from BACKUPD_DATABASE_PASSWORD when the URL has none) and waits up
// to config.database_wait for the database to answer. Throws std::runtime_error with a
// one-line reason.
std::unique_ptr<store::Database> open_database(const Config& config);

}  // namespace backupd::daemon
