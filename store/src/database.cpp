#include "backupd/store/database.hpp"

#include <filesystem>
#include <string>
#include <thread>

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "backupd/core/time.hpp"
#include "connection_pool.hpp"
#include "errors.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

// Single-quotes a value for SOCI's MySQL connect string (backslash escapes ' and \).
std::string quoted(const std::string& value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

std::string mysql_connect_string(const DatabaseUrl& url, const DatabaseOptions& options) {
    return "host=" + quoted(url.host) + " port=" + std::to_string(url.port) +
           " user=" + quoted(url.user) + " password=" + quoted(url.password) +
           " db=" + quoted(url.database) + " charset=utf8mb4" +
           " connect_timeout=" + std::to_string(options.connect_timeout.count()) +
           " read_timeout=" + std::to_string(options.io_timeout.count()) +
           " write_timeout=" + std::to_string(options.io_timeout.count());
}

// Every MySQL connection works in UTC with READ COMMITTED (the queue protocol's isolation).
constexpr const char* kMysqlSessionSetup[] = {
    "SET time_zone = '+00:00'",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
    "SET SESSION innodb_lock_wait_timeout = 10",
};

// WAL lets readers run beside the one writer; the busy timeout makes a writer wait for the
// lock instead of failing at once. synchronous=NORMAL in WAL mode survives a process crash
// (our crash model); an OS crash may lose the last commits but never corrupts the database.
constexpr int kSqliteOpenAttempts = 20;  // about 2 s in all
constexpr const char* kSqliteSessionSetup[] = {
    "PRAGMA busy_timeout = 5000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
};

void set_text_result(sqlite_api::sqlite3_context* context, const std::string& text) {
    using namespace sqlite_api;
    sqlite3_result_text(context, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// backupd_now(): the current UTC time in the stored text form, with microseconds.
void sqlite_now(sqlite_api::sqlite3_context* context, int, sqlite_api::sqlite3_value**) {
    set_text_result(context, core::format_db_time(core::now_utc()));
}

// backupd_now_plus_us(N): the current UTC time plus N microseconds.
void sqlite_now_plus_us(sqlite_api::sqlite3_context* context, int,
                        sqlite_api::sqlite3_value** arguments) {
    const auto micros = sqlite_api::sqlite3_value_int64(arguments[0]);
    set_text_result(context,
                    core::format_db_time(core::now_utc() + std::chrono::microseconds{micros}));
}

void register_sqlite_functions(soci::session& session) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    const int flags = SQLITE_UTF8;
    if (sqlite_api::sqlite3_create_function_v2(backend->conn_, "backupd_now", 0, flags, nullptr,
                                               sqlite_now, nullptr, nullptr, nullptr) != 0 ||
        sqlite_api::sqlite3_create_function_v2(backend->conn_, "backupd_now_plus_us", 1, flags,
                                               nullptr, sqlite_now_plus_us, nullptr, nullptr,
                                               nullptr) != 0) {
        throw soci::soci_error("cannot register the SQLite time functions");
    }
}

ConnectionPool::Opener make_opener(const DatabaseUrl& url, const DatabaseOptions& options) {
    if (url.backend == Backend::mysql) {
        return [connect = mysql_connect_string(url, options)] {
            auto session = std::make_unique<soci::session>(soci::mysql, connect);
            for (const char* statement : kMysqlSessionSetup) *session << statement;
            return session;
        };
    }
    return [path = url.sqlite_path] {
        const auto parent = std::filesystem::path(path).parent_path();
        std::error_code ignored;
        if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
        // Switching a new database file to WAL takes an exclusive lock, and SQLite answers BUSY
        // at once (no busy handler) while another connection opening it at the same moment
        // holds the lock: look again shortly, as the busy timeout would.
        for (int attempt = 1;; ++attempt) {
            try {
                auto session = std::make_unique<soci::session>(soci::sqlite3, path);
                for (const char* statement : kSqliteSessionSetup) *session << statement;
                register_sqlite_functions(*session);
                return session;
            } catch (const soci::soci_error& e) {
                if (classify(e) != Failure::retryable || attempt == kSqliteOpenAttempts) throw;
                std::this_thread::sleep_for(std::chrono::milliseconds{10 * attempt});
            }
        }
    };
}

}  // namespace

Database::Database(DatabaseUrl url, DatabaseOptions options)
    : url_(std::move(url)),
      pool_(std::make_unique<ConnectionPool>(make_opener(url_, options), options.pool_size,
                                             options.acquire_timeout)) {}

Database::~Database() = default;

void Database::ping() {
    in_read(*pool_, [](soci::session& sql) {
        int one = 0;
        sql << "SELECT 1", soci::into(one);
        return one;
    });
}

}  // namespace backupd::store
