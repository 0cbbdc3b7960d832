#pragma once
// The source folders port: how the API checks a folder before it queues a job, without knowing
// about file systems. A rejected request still becomes a job (failed) and its audit record.
//
// Thread-safety: safe from any thread. check() blocks on the file system: never call it on an
// HTTP I/O thread.

#include <optional>
#include <string_view>

#include "backupd/core/job.hpp"

namespace backupd::core {

// Stable codes of a rejection (JobError::code), shared by the API and the workers.
namespace folder_errors {
inline constexpr std::string_view invalid_name = "invalid_folder_name";
inline constexpr std::string_view no_such_directory = "no_such_directory";
inline constexpr std::string_view not_a_directory = "not_a_directory";
inline constexpr std::string_view outside_source_root = "outside_source_root";
inline constexpr std::string_view symlink_in_path = "symlink_in_path";
inline constexpr std::string_view unreadable = "folder_unreadable";
}  // namespace folder_errors

class SourceFolders {
public:
    virtual ~SourceFolders() = default;

    // nullopt when `folder` names a directory beneath the source root that can be backed up;
    // otherwise why not, with a message that names the folder as given, never a server path.
    virtual std::optional<JobError> check(std::string_view folder) const = 0;
};

}  // namespace backupd::core
