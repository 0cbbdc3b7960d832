#pragma once

#include <cstdint>
#include <optional>

#include "backupd/core/time.hpp"

namespace backupd::core {

// Backup job counts by state, read at one instant. `total` counts every backup job, including
// those rejected at submission (they are `failed`).
struct Stats {
    std::int64_t total = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t queued = 0;
    std::int64_t running = 0;
    std::int64_t cancelled = 0;
    // For operators (GET /metrics): the oldest queued job's submission, and the bytes copied by
    // every job so far.
    std::optional<Timestamp> oldest_queued_at;
    std::int64_t bytes_copied = 0;
};

}  // namespace backupd::core
