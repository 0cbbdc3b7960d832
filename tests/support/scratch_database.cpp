#include "scratch_database.hpp"

#include <cstdlib>
#include <iostream>
#include <random>

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace backupd::testing {
namespace {

std::string random_suffix() {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 12; ++i) out += kHex[random() % 16];
    return out;
}

const char* env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

std::string mysql_connect(const store::DatabaseUrl& url) {
    return "host=" + url.host + " port=" + std::to_string(url.port) + " user=" + url.user +
           " password='" + url.password + "' db=" + url.database + " charset=utf8mb4";
}

store::DatabaseUrl admin_url() {
    return store::parse_database_url(env("BACKUPD_TEST_MYSQL_URL"));
}

}  // namespace

store::Backend backend_under_test() {
    const char* name = env("BACKUPD_TEST_BACKEND");
    return name != nullptr && std::string(name) == "mysql" ? store::Backend::mysql
                                                           : store::Backend::sqlite;
}

void require_backend_or_skip() {
    if (backend_under_test() != store::Backend::mysql || env("BACKUPD_TEST_MYSQL_URL")) return;
    if (const char* ci = env("CI"); ci != nullptr && std::string(ci) == "true") {
        std::cerr << "BACKUPD_TEST_MYSQL_URL is not set: under CI the MySQL tests must run\n";
        std::exit(1);
    }
    std::cerr << "skipped: BACKUPD_TEST_MYSQL_URL is not set (make test starts a MariaDB)\n";
    std::exit(77);
}

ScratchDatabase::ScratchDatabase() {
    if (backend_under_test() == store::Backend::sqlite) {
        directory_ = std::filesystem::temp_directory_path() / ("backupd-test-" + random_suffix());
        std::filesystem::create_directories(directory_);
        url_ = store::parse_database_url("sqlite:" + (directory_ / "test.db").string());
        return;
    }
    const store::DatabaseUrl admin = admin_url();
    url_ = admin;
    url_.database = "bt_" + random_suffix();
    soci::session session(soci::mysql, mysql_connect(admin));
    session << "CREATE DATABASE " + url_.database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
}

ScratchDatabase::~ScratchDatabase() {
    try {
        if (url_.backend == store::Backend::sqlite) {
            std::filesystem::remove_all(directory_);
        } else {
            soci::session session(soci::mysql, mysql_connect(admin_url()));
            session << "DROP DATABASE IF EXISTS " + url_.database;
        }
    } catch (const std::exception& e) {
        std::cerr << "could not remove scratch database: " << e.what() << "\n";
    }
}

std::unique_ptr<store::Database> ScratchDatabase::open(store::DatabaseOptions options) const {
    return std::make_unique<store::Database>(url_, options);
}

void ScratchDatabase::execute(const std::string& sql) const {
    if (url_.backend == store::Backend::sqlite) {
        soci::session session(soci::sqlite3, url_.sqlite_path);
        session << sql;
    } else {
        soci::session session(soci::mysql, mysql_connect(url_));
        session << sql;
    }
}

}  // namespace backupd::testing
