#pragma once
// Database URLs (docs/design.md section 9):
//   sqlite:PATH                                   relative or absolute file
//   mysql://USER[:PASSWORD]@HOST[:PORT]/DBNAME    password may come from the environment instead

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backupd::store {

enum class Backend { sqlite, mysql };

struct DatabaseUrl {
    Backend backend = Backend::sqlite;
    std::string sqlite_path;  // sqlite only
    std::string user;         // mysql only, from here on
    std::string password;
    std::string host;
    std::uint16_t port = 3306;
    std::string database;

    // The URL with the password left out, for logs and messages.
    std::string redacted() const;
};

// Parses `text`. A MySQL URL without a password takes `password_fallback` (the value of
// BACKUPD_DATABASE_PASSWORD) when given. Throws std::invalid_argument with a one-line message
// naming the problem; the message never repeats the password.
DatabaseUrl parse_database_url(std::string_view text,
                               const std::optional<std::string>& password_fallback = {});

}  // namespace backupd::store
