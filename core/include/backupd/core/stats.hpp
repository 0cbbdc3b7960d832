#pragma once

#include <cstdint>

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
};

}  // namespace backupd::core
