#pragma once
// Running store operations on a pooled connection, with the retry rules in one place:
// - a write transaction is retried (with jittered backoff) when the database rolled it back
//   for a deadlock, a lock-wait timeout or SQLITE_BUSY, and when the connection turned out dead
//   before the transaction began; never after a failure of unknown outcome (a lost COMMIT);
// - a read is retried once on a fresh connection when the pooled one was dead.
// Every soci_error leaves as a core::Error.

#include <chrono>
#include <random>
#include <thread>
#include <type_traits>

#include <soci/soci.h>

#include "connection_pool.hpp"
#include "dialect.hpp"
#include "errors.hpp"

namespace backupd::store {

inline constexpr int kMaxTransactionAttempts = 6;

inline void backoff_before_retry(int attempt) {
    thread_local std::minstd_rand random{std::random_device{}()};
    const int base_ms = 2 << attempt;  // 4, 8, 16, ... ms
    std::uniform_int_distribution<int> jitter(base_ms / 2, base_ms + base_ms / 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(random)));
}

inline void rollback_quietly(soci::session& sql) noexcept {
    try {
        sql << "ROLLBACK";
    } catch (...) {
        // The transaction is gone either way; the original error is what matters.
    }
}

// Runs body(soci::session&) inside one write transaction and returns its result.
template <typename Body>
auto in_transaction(ConnectionPool& pool, const Dialect& dialect, Body&& body)
    -> std::invoke_result_t<Body&, soci::session&> {
    using Result = std::invoke_result_t<Body&, soci::session&>;
    for (int attempt = 1;; ++attempt) {
        std::unique_lock<std::mutex> turn;
        if (dialect.single_writer) turn = pool.writer_turn();
        auto lease = pool.acquire();
        soci::session& sql = lease.session();
        bool begun = false;
        try {
            sql << dialect.begin;
            begun = true;
            if constexpr (std::is_void_v<Result>) {
                body(sql);
                sql << "COMMIT";
                return;
            } else {
                Result result = body(sql);
                sql << "COMMIT";
                return result;
            }
        } catch (const soci::soci_error& e) {
            const Failure failure = classify(e);
            if (failure == Failure::connection) {
                lease.mark_broken();
            } else if (begun) {
                rollback_quietly(sql);
            }
            const bool safe_to_retry =
                failure == Failure::retryable || (failure == Failure::connection && !begun);
            if (safe_to_retry && attempt < kMaxTransactionAttempts) {
                backoff_before_retry(attempt);
                continue;
            }
            throw translate(e);
        } catch (...) {
            if (begun) rollback_quietly(sql);
            throw;
        }
    }
}

// Runs body(soci::session&) outside an explicit transaction (one statement is one consistent
// read) and returns its result.
template <typename Body>
auto in_read(ConnectionPool& pool, Body&& body) -> std::invoke_result_t<Body&, soci::session&> {
    for (int attempt = 1;; ++attempt) {
        auto lease = pool.acquire();
        try {
            return body(lease.session());
        } catch (const soci::soci_error& e) {
            const Failure failure = classify(e);
            if (failure == Failure::connection) lease.mark_broken();
            if ((failure == Failure::connection || failure == Failure::retryable) && attempt < 2) {
                backoff_before_retry(attempt);
                continue;
            }
            throw translate(e);
        }
    }
}

}  // namespace backupd::store
