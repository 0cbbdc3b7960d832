#include "backupd/store/database_url.hpp"

#include <charconv>
#include <stdexcept>

namespace backupd::store {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr std::string_view kMysqlScheme = "mysql://";

[[noreturn]] void fail(std::string_view why) {
    throw std::invalid_argument("invalid database URL: " + std::string(why));
}

// Decodes %XX escapes so a password or user may hold '@', ':' or '/'.
std::string percent_decode(std::string_view text, std::string_view what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        unsigned value = 0;
        if (i + 2 >= text.size()) {
            fail("bad %-escape in the " + std::string(what));
        }
        const auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
        if (ec != std::errc{} || end != text.data() + i + 3) {
            fail("bad %-escape in the " + std::string(what));
        }
        out += static_cast<char>(value);
        i += 2;
    }
    return out;
}

DatabaseUrl parse_sqlite(std::string_view path) {
    if (path.empty()) fail("sqlite: needs a file path, as in sqlite:backupd.db");
    if (path.starts_with("//")) fail("write sqlite:PATH, not sqlite://PATH");
    // SOCI's sqlite3 backend reads a connect string holding '=' as key=value pairs.
    if (path.find('=') != std::string_view::npos) fail("the sqlite path may not contain '='");
    if (path.find('\0') != std::string_view::npos) fail("the sqlite path contains a NUL byte");
    DatabaseUrl url;
    url.backend = Backend::sqlite;
    url.sqlite_path = std::string(path);
    return url;
}

DatabaseUrl parse_mysql(std::string_view rest,
                        const std::optional<std::string>& password_fallback) {
    DatabaseUrl url;
    url.backend = Backend::mysql;

    const auto at = rest.rfind('@');
    if (at == std::string_view::npos) fail("mysql:// needs USER@HOST/DBNAME");
    const std::string_view userinfo = rest.substr(0, at);
    const std::string_view hostpart = rest.substr(at + 1);

    const auto colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon), "user");
    if (url.user.empty()) fail("mysql:// needs a user name before '@'");
    if (colon != std::string_view::npos) {
        url.password = percent_decode(userinfo.substr(colon + 1), "password");
    } else if (password_fallback) {
        url.password = *password_fallback;
    }

    const auto slash = hostpart.find('/');
    if (slash == std::string_view::npos) fail("mysql:// needs a database name after the host");
    const std::string_view hostport = hostpart.substr(0, slash);
    url.database = percent_decode(hostpart.substr(slash + 1), "database name");
    if (url.database.empty()) fail("mysql:// needs a database name after the host");
    if (url.database.find_first_of("/?#") != std::string::npos) {
        fail("the database name may not contain '/', '?' or '#'");
    }

    const auto port_colon = hostport.rfind(':');
    url.host = std::string(hostport.substr(0, port_colon));
    if (url.host.empty()) fail("mysql:// needs a host name");
    if (port_colon != std::string_view::npos) {
        const std::string_view port = hostport.substr(port_colon + 1);
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
            value > 65535) {
            fail("the port must be a number from 1 to 65535");
        }
        url.port = static_cast<std::uint16_t>(value);
    }
    return url;
}

}  // namespace

std::string DatabaseUrl::redacted() const {
    if (backend == Backend::sqlite) return std::string(kSqliteScheme) + sqlite_path;
    return std::string(kMysqlScheme) + user + "@" + host + ":" + std::to_string(port) + "/" +
           database;
}

DatabaseUrl parse_database_url(std::string_view text,
                               const std::optional<std::string>& password_fallback) {
    if (text.starts_with(kSqliteScheme)) return parse_sqlite(text.substr(kSqliteScheme.size()));
    if (text.starts_with(kMysqlScheme)) {
        return parse_mysql(text.substr(kMysqlScheme.size()), password_fallback);
    }
    fail("expected sqlite:PATH or mysql://USER@HOST[:PORT]/DBNAME");
}

}  // namespace backupd::store
