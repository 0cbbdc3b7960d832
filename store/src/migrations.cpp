#include "backupd/store/migrations.hpp"

#include <fmt/format.h>

#include "backupd/core/error.hpp"
#include "connection_pool.hpp"
#include "dialect.hpp"
#include "embedded_migrations.hpp"
#include "errors.hpp"
#include "sql_script.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

using detail::EmbeddedMigration;

constexpr const char* kMysqlTableExists =
    "SELECT COUNT(*) FROM information_schema.tables "
    "WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'";
constexpr const char* kSqliteTableExists =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr const char* kCurrentVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr char kRecordMigration[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, {now})";

// Nodes starting together take turns; the lock is the connection's and dies with it.
constexpr const char* kMysqlLock = "SELECT GET_LOCK('backupd.migrate', 60)";
constexpr const char* kMysqlUnlock = "SELECT RELEASE_LOCK('backupd.migrate')";

const std::vector<EmbeddedMigration>& migrations_for(Backend backend) {
    return backend == Backend::mysql ? detail::mysql_migrations() : detail::sqlite_migrations();
}

int read_version(soci::session& sql, Backend backend) {
    long long exists = 0;
    sql << (backend == Backend::mysql ? kMysqlTableExists : kSqliteTableExists), soci::into(exists);
    if (exists == 0) return 0;
    long long version = 0;
    sql << kCurrentVersion, soci::into(version);
    return static_cast<int>(version);
}

std::string label(const EmbeddedMigration& migration) {
    return fmt::format("{:04}_{}", migration.version, migration.name);
}

void apply(soci::session& sql, const Dialect& dialect, const EmbeddedMigration& migration) {
    for (const std::string& statement : split_sql_statements(migration.sql)) sql << statement;
    const std::string name(migration.name);
    Statement record(sql, rendered<kRecordMigration>(dialect));
    record.use(migration.version, "version").use(name, "name");
    record.run();
}

MigrationReport run(soci::session& sql, const Dialect& dialect, int up_to_version) {
    const auto& known = migrations_for(dialect.backend);
    const int latest = known.empty() ? 0 : known.back().version;
    MigrationReport report;
    report.from_version = read_version(sql, dialect.backend);
    report.to_version = report.from_version;
    if (report.from_version > latest) {
        throw core::Error(core::ErrorCode::internal_error,
                          fmt::format("the database schema is at version {}, newer than this "
                                      "backupd knows (version {}): upgrade backupd",
                                      report.from_version, latest));
    }
    for (const EmbeddedMigration& migration : known) {
        if (migration.version <= report.from_version) continue;
        if (migration.version > up_to_version) break;
        try {
            apply(sql, dialect, migration);
        } catch (const soci::soci_error& e) {
            const core::Error translated = translate(e);
            throw core::Error(translated.code(), "migration " + label(migration) + " failed",
                              "migration " + label(migration) + " failed: " + e.what());
        }
        report.applied.push_back(label(migration));
        report.to_version = migration.version;
    }
    return report;
}

}  // namespace

int latest_schema_version(Backend backend) {
    const auto& known = migrations_for(backend);
    return known.empty() ? 0 : known.back().version;
}

int schema_version(Database& database) {
    return in_read(database.pool(),
                   [&](soci::session& sql) { return read_version(sql, database.backend()); });
}

MigrationReport migrate(Database& database) {
    return migrate(database, latest_schema_version(database.backend()));
}

MigrationReport migrate(Database& database, int up_to_version) {
    const Dialect& dialect = dialect_for(database.backend());
    if (database.backend() == Backend::sqlite) {
        // SQLite DDL is transactional: each run is all or nothing.
        return in_transaction(database.pool(), dialect,
                              [&](soci::session& sql) { return run(sql, dialect, up_to_version); });
    }
    auto lease = database.pool().acquire();
    soci::session& sql = lease.session();
    try {
        int locked = 0;
        sql << kMysqlLock, soci::into(locked);
        if (locked != 1) {
            throw core::Error(core::ErrorCode::database_unavailable, "database busy",
                              "another node held the migration lock for 60 s");
        }
        try {
            MigrationReport report = run(sql, dialect, up_to_version);
            sql << kMysqlUnlock, soci::into(locked);
            return report;
        } catch (...) {
            try {
                sql << kMysqlUnlock, soci::into(locked);
            } catch (...) {
                lease.mark_broken();  // closing the connection releases the lock
            }
            throw;
        }
    } catch (const soci::soci_error& e) {
        if (classify(e) == Failure::connection) lease.mark_broken();
        throw translate(e);
    }
}

}  // namespace backupd::store
