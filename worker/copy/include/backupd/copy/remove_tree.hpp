#pragma once
// Deleting a directory tree beneath a directory descriptor, never following symbolic links.

#include <string_view>

#include "backupd/copy/filesystem.hpp"

namespace backupd::copy {

// Removes `name` (a directory tree, a file or a link) inside the directory `parent`. A missing
// entry is fine. Throws std::system_error on any other failure.
void remove_tree(int parent, std::string_view name,
                 const Filesystem& filesystem = system_filesystem());

}  // namespace backupd::copy
