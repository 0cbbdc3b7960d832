#include "sql_script.hpp"

#include <boost/test/unit_test.hpp>

using backupd::store::split_sql_statements;

BOOST_AUTO_TEST_SUITE(sql_script)

BOOST_AUTO_TEST_CASE(splits_at_semicolons_and_drops_comments) {
    const auto statements = split_sql_statements(
        "-- header\nCREATE TABLE a (x INT); /* note; here */\nCREATE INDEX i ON a (x);\n-- end\n");
    BOOST_TEST_REQUIRE(statements.size() == 2u);
    BOOST_TEST(statements[0] == "CREATE TABLE a (x INT)");
    BOOST_TEST(statements[1] == "CREATE INDEX i ON a (x)");
}

BOOST_AUTO_TEST_CASE(keeps_semicolons_inside_quotes) {
    const auto statements =
        split_sql_statements("INSERT INTO t VALUES ('a;b', 'it''s; ok', \"c;d\", 'x\\';y');");
    BOOST_TEST_REQUIRE(statements.size() == 1u);
    BOOST_TEST(statements[0] == "INSERT INTO t VALUES ('a;b', 'it''s; ok', \"c;d\", 'x\\';y')");
}

BOOST_AUTO_TEST_CASE(a_last_statement_without_semicolon_counts) {
    const auto statements = split_sql_statements("SELECT 1;\nSELECT 2");
    BOOST_TEST_REQUIRE(statements.size() == 2u);
    BOOST_TEST(statements[1] == "SELECT 2");
}

BOOST_AUTO_TEST_CASE(comment_only_scripts_have_no_statements) {
    BOOST_TEST(split_sql_statements("-- nothing\n/* at all */ ;\n").empty());
}

BOOST_AUTO_TEST_SUITE_END()
