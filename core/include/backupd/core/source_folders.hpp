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

class SourceFolders {
public:
    virtual ~SourceFolders() = default;

    // nullopt when `folder` names a directory beneath the source root that can be backed up;
    // otherwise why not, with a message that names the folder as given, never a server path.
    virtual std::optional<JobError> check(std::string_view folder) const = 0;

    // The name rules alone (no file system): what a plan's folder must meet when the plan is
    // stored, before the folder exists.
    virtual std::optional<JobError> check_name(std::string_view folder) const = 0;
};

}  // namespace backupd::core
