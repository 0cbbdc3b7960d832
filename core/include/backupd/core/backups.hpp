#pragma once
// Backups as the API offers them: submit one folder or a batch, cancel one job. Plain functions
// over the ports (no HTTP, no JSON), so their rules are tested with in-memory fakes.
//
// Thread-safety: as the ports they call (safe from any thread); they block on the database and
// the file system, so never call them on an HTTP I/O thread.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backupd/core/job.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/core/source_folders.hpp"

namespace backupd::core {

// What submitting needs: where jobs go, how folders are checked, and how a local worker is woken.
struct BackupPorts {
    JobQueue& jobs;
    const SourceFolders& folders;
    std::function<void()> job_queued = [] {};
};

struct BackupSubmission {
    std::vector<std::string> folders;  // in request order; one unless `batch`
    bool batch = false;                // the jobs share a new batch id
    std::optional<std::string> client_address;
    // Set when the caller has already refused the (single) folder, such as a name that cannot
    // be decoded: the job is recorded failed with this error and the folder is not checked.
    std::optional<JobError> refusal;
};

struct SubmittedBackup {
    Job job;
    // Refused at submission (a bad name, no such directory): the job was created failed, with
    // its error and its audit record, and will never run.
    bool rejected = false;
};

struct SubmittedBackups {
    std::optional<std::string> batch_id;  // set for a batch
    std::vector<SubmittedBackup> items;   // in request order
};

// Checks each folder through SourceFolders, enqueues every item (a refused one as a failed job,
// so statistics and the audit log agree), in one transaction for a batch, and wakes a local
// worker when at least one job was queued.
SubmittedBackups submit_backups(const BackupPorts& ports, const BackupSubmission& submission);

struct CancelledBackup {
    CancelResult result = CancelResult::not_found;
    std::optional<Job> job;  // the job as it is after the request, when it exists
};

// Cancels a queued or running job and reads it back.
CancelledBackup cancel_backup(JobQueue& jobs, JobId id);

// The current state of every job of `ids`, in order; nullopt when one of them does not exist.
std::optional<std::vector<Job>> find_jobs(JobQueue& jobs, const std::vector<JobId>& ids);

// True when every job has ended (succeeded, failed or cancelled).
bool all_ended(const std::vector<Job>& jobs);

}  // namespace backupd::core
