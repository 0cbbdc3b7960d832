#pragma once
// A database handle: the parsed URL and a pool of configured connections. Shared by the
// job queue, the audit log and the migration runner.
//
// Thread-safety: safe to share between threads; each operation leases its own connection.

#include <chrono>
#include <cstddef>
#include <memory>

#include "backupd/store/database_url.hpp"

namespace backupd::store {

class ConnectionPool;

struct DatabaseOptions {
    // Connections kept open. Each blocking store call holds one for its duration; more
    // connections cost memory on both sides and, on SQLite, contend for the one writer lock.
    std::size_t pool_size = 4;
    // How long a caller waits for a free connection before the call fails as transient.
    std::chrono::milliseconds acquire_timeout{5000};
    // Bound on establishing a MySQL connection (and on each read/write on it).
    std::chrono::seconds connect_timeout{5};
    std::chrono::seconds io_timeout{30};
};

class Database {
public:
    // Connects lazily: constructing never touches the database, the first call does.
    explicit Database(DatabaseUrl url, DatabaseOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const DatabaseUrl& url() const { return url_; }
    Backend backend() const { return url_.backend; }

    // Opens a connection and runs a trivial query. Throws core::Error (transient) on failure.
    void ping();

    ConnectionPool& pool() { return *pool_; }

private:
    DatabaseUrl url_;
    std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace backupd::store
