#pragma once
// Creating a job inside a caller's transaction: used by enqueue, by a plan's backup whose
// success queues its prune (job_finish.cpp), and by the plan store firing a due run.

#include <soci/soci.h>

#include "backupd/core/job.hpp"
#include "dialect.hpp"
#include "job_counts.hpp"

namespace backupd::store {

// Inserts `job` (queued, or failed with its audit record when `rejection` is set), counts it in
// `counts`, and returns it as stored. Throws std::invalid_argument when max_attempts < 1, and
// soci::soci_error when a statement fails: when (plan, scheduled_for) is taken, one that errors.hpp
// classifies as Failure::duplicate (in_transaction translates it into core::Error conflict).
core::Job insert_job(soci::session& sql, const Dialect& dialect, const core::NewJob& job,
                     JobCountChanges& counts);

}  // namespace backupd::store
