#pragma once

#include <cstdint>
#include <optional>

#include "backupd/core/time.hpp"

namespace backupd::core {

// Counts of one kind of job by state. `total` counts every job of the kind, including those
// rejected at submission (they are `failed`).
struct JobCounts {
    std::int64_t total = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t queued = 0;
    std::int64_t running = 0;
    std::int64_t cancelled = 0;
};

// Job counts read at one instant: the backups' directly (the case study's statistics), the
// other kinds beside them.
struct Stats : JobCounts {
    JobCounts restores;
    JobCounts verifies;
    JobCounts prunes;
    // For operators (GET /metrics): the oldest queued job's submission, and the bytes copied by
    // every job so far.
    std::optional<Timestamp> oldest_queued_at;
    std::int64_t bytes_copied = 0;
};

}  // namespace backupd::core
