#pragma once
// The one place for converting values between core types and what SOCI binds: SOCI reads and
// writes NULL through boost::optional, core speaks std::optional, and the database keeps times
// as text ("2026-11-24 14:05:23.123456", see core/time.hpp).

#include <optional>
#include <string>

#include <boost/optional.hpp>

#include "backupd/core/error.hpp"
#include "backupd/core/time.hpp"

namespace backupd::store {

// std::optional<U> to a bindable boost::optional<T> (T may widen U: int to long long).
template <typename T, typename U = T>
boost::optional<T> to_boost(const std::optional<U>& value) {
    return value ? boost::optional<T>(static_cast<T>(*value)) : boost::none;
}

// A value read into a boost::optional back to std::optional.
template <typename T>
std::optional<T> to_std(const boost::optional<T>& value) {
    return value ? std::optional<T>(*value) : std::nullopt;
}

// Database time text to Timestamp; throws core::Error (internal) on malformed text.
inline core::Timestamp db_time(const std::string& text) {
    const auto parsed = core::parse_db_time(text);
    if (!parsed) {
        throw core::Error(core::ErrorCode::internal_error, "database error",
                          "unreadable time in the database: '" + text + "'");
    }
    return *parsed;
}

inline std::optional<core::Timestamp> optional_db_time(const boost::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return db_time(*text);
}

}  // namespace backupd::store
