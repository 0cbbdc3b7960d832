#include "errors.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace backupd::store {
namespace {

// MySQL / MariaDB server and client error numbers we act on.
constexpr unsigned kMysqlDuplicateKey = 1062;
constexpr unsigned kMysqlLockWaitTimeout = 1205;
constexpr unsigned kMysqlDeadlock = 1213;
constexpr unsigned kMysqlLockNowait = 3572;  // MySQL 8; MariaDB reports 1205 instead
constexpr unsigned kMysqlServerShutdown = 1053;
constexpr unsigned kMysqlReadOnly = 1290;  // --read-only during a failover
constexpr unsigned kClientConnectionError = 2002;
constexpr unsigned kClientHostError = 2003;
constexpr unsigned kClientServerGone = 2006;
constexpr unsigned kClientServerLost = 2013;

// SQLite primary result codes.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteConstraint = 19;
// SQLite extended result codes of a unique-key clash (reported only when extended result codes
// are on; otherwise the primary code is SQLITE_CONSTRAINT and only the message tells).
constexpr int kSqliteConstraintPrimaryKey = 1555;
constexpr int kSqliteConstraintUnique = 2067;

// Among SQLite's constraint failures (CHECK, NOT NULL, FOREIGN KEY, UNIQUE, ...) only a clash
// of a unique key or primary key is a duplicate; the others are bugs, not races.
bool is_sqlite_unique_violation(const soci::sqlite3_soci_error& error) {
    const int code = error.result();
    if (code == kSqliteConstraintUnique || code == kSqliteConstraintPrimaryKey) return true;
    return code == kSqliteConstraint &&
           error.get_error_message().find("UNIQUE constraint failed") != std::string::npos;
}

}  // namespace

Failure classify(const soci::soci_error& error) {
    if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error)) {
        switch (mysql->err_num_) {
            case kMysqlDuplicateKey: return Failure::duplicate;
            case kMysqlLockWaitTimeout:
            case kMysqlDeadlock:
            case kMysqlLockNowait: return Failure::retryable;
            case kMysqlServerShutdown:
            case kMysqlReadOnly:
            case kClientConnectionError:
            case kClientHostError:
            case kClientServerGone:
            case kClientServerLost: return Failure::connection;
            default: break;
        }
    }
    if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
        switch (sqlite->result() & 0xff) {
            case kSqliteBusy:
            case kSqliteLocked: return Failure::retryable;
            case kSqliteConstraint:
                if (is_sqlite_unique_violation(*sqlite)) return Failure::duplicate;
                break;
            case kSqliteCantOpen: return Failure::connection;
            default: break;
        }
    }
    if (error.get_error_category() == soci::soci_error::connection_error) {
        return Failure::connection;
    }
    return Failure::other;
}

core::Error translate(const soci::soci_error& error) {
    switch (classify(error)) {
        case Failure::connection:
            return core::Error(core::ErrorCode::database_unavailable, "database unavailable",
                               error.what());
        case Failure::retryable:
            return core::Error(core::ErrorCode::database_unavailable, "database busy",
                               error.what());
        case Failure::duplicate:
            return core::Error(core::ErrorCode::conflict, "conflicting change", error.what());
        case Failure::other: break;
    }
    return core::Error(core::ErrorCode::internal_error, "database error", error.what());
}

}  // namespace backupd::store
