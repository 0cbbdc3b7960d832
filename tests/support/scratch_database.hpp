#pragma once
// Test support: a fresh, empty database for one test on the backend under test.
//
// BACKUPD_TEST_BACKEND selects sqlite (default) or mysql. For mysql, BACKUPD_TEST_MYSQL_URL
// names a server account allowed to create databases (mysql://user:pw@127.0.0.1:3307/mysql);
// each test gets its own database, dropped afterwards. Without that variable the mysql tests
// exit with code 77 (CTest: skipped), except under CI=true, where they fail.

#include <filesystem>
#include <memory>
#include <string>

#include "backupd/store/database.hpp"

namespace backupd::testing {

store::Backend backend_under_test();

// Call first in main() of a test binary: skips (exit 77) or fails as described above.
void require_backend_or_skip();

class ScratchDatabase {
public:
    ScratchDatabase();
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    const store::DatabaseUrl& url() const { return url_; }

    // A new handle (its own connection pool) on this database: a second "node".
    std::unique_ptr<store::Database> open(store::DatabaseOptions options = {}) const;

    // Runs one raw statement, for states the store's API cannot reach (a future schema).
    void execute(const std::string& sql) const;

private:
    store::DatabaseUrl url_;
    std::filesystem::path directory_;  // sqlite only
};

}  // namespace backupd::testing
