#pragma once
// Opening a folder to back up, beneath the source root and never through a symbolic link, so
// no name can reach outside the root (docs/design.md section 6).

#include <string_view>
#include <variant>

#include "backupd/copy/folder_name.hpp"
#include "backupd/copy/unique_fd.hpp"

namespace backupd::copy {

enum class SourceFolderError {
    invalid_name,        // see validate_folder_name
    no_such_directory,   // nothing by that name
    not_a_directory,     // a file (or another non-directory) where a folder is expected
    leaves_source_root,  // a symbolic link on the way points outside the root
    symlink_in_path,     // a symbolic link on the way (symlinks are never followed)
    unreadable,          // permissions or an I/O error
};

// A sentence for the client (no server paths).
std::string_view describe(SourceFolderError error);

using OpenResult = std::variant<UniqueFd, SourceFolderError>;

// Opens `folder` (validated first) as a directory beneath the directory `root`. Uses openat2
// with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where the kernel has it; otherwise walks the
// segments with openat(O_NOFOLLOW), which is equivalent because names hold no "..".
// Thread-safe.
OpenResult open_source_folder(int root, std::string_view folder);

// The fallback alone, whatever the kernel: a seam for testing the path older kernels take.
// It reports every symbolic link as symlink_in_path.
OpenResult open_source_folder_without_openat2(int root, std::string_view folder);

}  // namespace backupd::copy
