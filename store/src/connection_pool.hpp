#pragma once
// A fixed-size pool of SOCI sessions, opened lazily and reopened after a connection failure.
//
// Thread-safety: acquire() may be called from any thread; a Lease is used by one thread.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <soci/soci.h>

namespace backupd::store {

class ConnectionPool {
public:
    // `open` creates and configures one session; it throws on failure.
    using Opener = std::function<std::unique_ptr<soci::session>()>;

    ConnectionPool(Opener open, std::size_t size, std::chrono::milliseconds acquire_timeout);

    // Exclusive use of one open session until destroyed.
    class Lease {
    public:
        Lease(ConnectionPool& pool, std::size_t slot) : pool_(&pool), slot_(slot) {}
        Lease(Lease&& other) noexcept
            : pool_(other.pool_), slot_(other.slot_), broken_(other.broken_) {
            other.pool_ = nullptr;
        }
        Lease& operator=(Lease&&) = delete;
        ~Lease();

        soci::session& session();
        // The connection failed: close it instead of returning it, so the next lease reopens.
        void mark_broken() { broken_ = true; }

    private:
        ConnectionPool* pool_;
        std::size_t slot_;
        bool broken_ = false;
    };

    // Waits up to the acquire timeout for a free slot and opens its session if needed.
    // Throws core::Error (transient) when no slot frees up in time or the connection fails.
    Lease acquire();

    // A turn to write, for a database with one writer at a time (SQLite): writers of this
    // process queue here, woken in turn, instead of polling the database's lock with sleeps
    // (SQLite's busy handler), which costs milliseconds of latency under load.
    std::unique_lock<std::mutex> writer_turn() { return std::unique_lock(writer_); }

private:
    void give_back(std::size_t slot, bool broken);

    Opener open_;
    std::chrono::milliseconds acquire_timeout_;
    std::mutex mutex_;
    std::mutex writer_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<soci::session>> sessions_;  // guarded by mutex_ when not leased
    std::vector<std::size_t> free_slots_;                   // guarded by mutex_
};

}  // namespace backupd::store
