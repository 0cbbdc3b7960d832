#pragma once
// How Boost.Test prints api::Scope and api::ScopeSet in failed assertions. Apart from
// printing.hpp because only the api tests link the api library.

#include <cstdint>
#include <ostream>

#include <boost/test/unit_test.hpp>

#include "backupd/api/scopes.hpp"

namespace boost::test_tools::tt_detail {

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
