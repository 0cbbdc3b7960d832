#pragma once
// The indexable stand-in for a folder name up to 1024 characters long.

#include <string>

namespace backupd::store {

// Hex SHA-256 of the folder name as submitted (the jobs.folder_key column).
std::string folder_key(const std::string& folder);

}  // namespace backupd::store
