#pragma once
// Lets Boost.Test print our values in failure messages.

#include <ostream>

#include <boost/test/unit_test.hpp>

#include "backupd/api/scopes.hpp"
#include "backupd/core/error.hpp"
#include "backupd/core/time.hpp"

namespace boost::test_tools::tt_detail {

template <>
struct print_log_value<backupd::core::Timestamp> {
    void operator()(std::ostream& out, const backupd::core::Timestamp& at) {
        out << backupd::core::format_rfc3339(at);
    }
};

template <>
struct print_log_value<backupd::core::ErrorCode> {
    void operator()(std::ostream& out, backupd::core::ErrorCode code) {
        out << backupd::core::to_string(code);
    }
};

template <>
struct print_log_value<backupd::api::Scope> {
    void operator()(std::ostream& out, backupd::api::Scope scope) {
        out << backupd::api::to_string(scope);
    }
};

template <>
struct print_log_value<backupd::api::ScopeSet> {
    void operator()(std::ostream& out, backupd::api::ScopeSet scopes) {
        out << "scopes{";
        for (const auto scope :
             {backupd::api::Scope::read, backupd::api::Scope::backup, backupd::api::Scope::admin}) {
            if ((scopes.bits() & static_cast<std::uint8_t>(scope)) != 0)
                out << ' ' << backupd::api::to_string(scope);
        }
        out << " }";
    }
};

}  // namespace boost::test_tools::tt_detail
