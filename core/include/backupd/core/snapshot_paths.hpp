#pragma once
// Paths a client names inside a snapshot or under the restore root. Pure checks, shared by the
// API (to refuse a request with a precise error) and the workers (which check again before they
// touch the disk).

#include <optional>
#include <string>
#include <string_view>

#include "backupd/core/job.hpp"

namespace backupd::core {

// A relative path of '/'-separated segments: not absolute, no empty, "." or ".." segment, no NUL,
// valid UTF-8, at most 4096 bytes. `allow_empty`: the empty path (the top directory) is accepted.
// nullopt when acceptable, else an invalid_path error naming what is wrong.
std::optional<JobError> check_snapshot_path(std::string_view path, bool allow_empty = false);

// The default restore target: "<folder>/<snapshot name>".
std::string default_restore_target(std::string_view folder, std::string_view snapshot_name);

}  // namespace backupd::core
