#include "embedded_migrations.hpp"

#include <boost/test/unit_test.hpp>

#include "backupd/store/migrations.hpp"
#include "sql_script.hpp"

using namespace backupd::store;

BOOST_AUTO_TEST_SUITE(embedded_migrations)

BOOST_AUTO_TEST_CASE(both_backends_have_the_same_contiguous_versions) {
    const auto& mysql = detail::mysql_migrations();
    const auto& sqlite = detail::sqlite_migrations();
    BOOST_TEST_REQUIRE(!mysql.empty());
    BOOST_TEST_REQUIRE(mysql.size() == sqlite.size());
    for (std::size_t i = 0; i < mysql.size(); ++i) {
        BOOST_TEST(mysql[i].version == static_cast<int>(i + 1));
        BOOST_TEST(sqlite[i].version == mysql[i].version);
        BOOST_TEST(sqlite[i].name == mysql[i].name);
    }
    BOOST_TEST(latest_schema_version(Backend::mysql) == static_cast<int>(mysql.size()));
}

BOOST_AUTO_TEST_CASE(each_migration_holds_statements) {
    for (const auto* list : {&detail::mysql_migrations(), &detail::sqlite_migrations()}) {
        for (const auto& migration : *list) {
            BOOST_TEST(!split_sql_statements(migration.sql).empty(), migration.name);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
