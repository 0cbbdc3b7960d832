#pragma once
// Lets Boost.Test print our values in failure messages.

#include <ostream>

#include <boost/test/unit_test.hpp>

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

}  // namespace boost::test_tools::tt_detail
