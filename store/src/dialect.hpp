#pragma once
// The few places where MySQL and SQLite SQL differ. Each statement is written once, whole, as a
// template with {now}, {lease_deadline}, {retry_time}, {skip_locked} and {for_update}, and
// rendered per backend once (see `rendered`).

#include <array>
#include <string>
#include <string_view>

#include "backupd/store/database_url.hpp"

namespace backupd::store {

struct Dialect {
    Backend backend;
    // The database's current UTC time with microseconds. SQLite has no such function, so the
    // store registers backupd_now() on each connection (see sqlite_functions in database.cpp).
    std::string_view now;
    // The lease deadline: now plus the bound parameter :lease_us microseconds.
    std::string_view lease_deadline;
    // When a failed job may run again: now plus the bound parameter :backoff_us microseconds.
    std::string_view retry_time;
    // Begins a write transaction. SQLite takes the write lock at once (IMMEDIATE), so two
    // writers never deadlock upgrading a read lock; MySQL runs READ COMMITTED (set per session).
    std::string_view begin;
    // Appended to a claim scan: lock the row, skipping rows other transactions hold.
    std::string_view skip_locked;
    // Appended to a read whose row the transaction goes on to change: lock it (MySQL; SQLite's
    // IMMEDIATE transaction already holds the whole database).
    std::string_view for_update;
    // One writer at a time for the whole database (SQLite): write transactions of this
    // process take turns before they begin (ConnectionPool::writer_turn).
    bool single_writer = false;
};

const Dialect& dialect_for(Backend backend);

// Renders a statement template for `dialect`.
std::string render(std::string_view sql_template, const Dialect& dialect);

// The statement template `Template` rendered for `dialect`: rendered for both backends on first
// use, then served from a constant. Thread-safe (a function-local static).
template <const char* Template>
const std::string& rendered(const Dialect& dialect) {
    static const std::array<std::string, 2> kRendered{
        render(Template, dialect_for(Backend::mysql)),
        render(Template, dialect_for(Backend::sqlite)),
    };
    return kRendered[dialect.backend == Backend::mysql ? 0 : 1];
}

}  // namespace backupd::store
