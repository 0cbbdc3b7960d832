#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace backupd::store {

// Splits a migration script into statements at semicolons outside quotes and comments, and
// drops the comments. Both drivers execute one statement per call.
std::vector<std::string> split_sql_statements(std::string_view script);

}  // namespace backupd::store
