#include "backupd/core/backups.hpp"

#include <algorithm>
#include <random>

namespace backupd::core {
namespace {

std::string new_batch_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 16; ++i) id += kHex[random() % 16];
    return id;
}

NewJob new_job(const BackupPorts& ports, const std::string& folder,
               const BackupSubmission& submission, const std::optional<std::string>& batch_id) {
    NewJob job;
    job.folder = folder;
    job.rejection = submission.refusal ? submission.refusal : ports.folders.check(folder);
    job.client_address = submission.client_address;
    job.batch_id = batch_id;
    return job;
}

}  // namespace

SubmittedBackups submit_backups(const BackupPorts& ports, const BackupSubmission& submission) {
    SubmittedBackups out;
    if (submission.batch) out.batch_id = new_batch_id();
    std::vector<NewJob> wanted;
    wanted.reserve(submission.folders.size());
    for (const auto& folder : submission.folders)
        wanted.push_back(new_job(ports, folder, submission, out.batch_id));
    std::vector<Job> created;
    if (submission.batch) {
        created = ports.jobs.enqueue_batch(wanted);
    } else if (!wanted.empty()) {
        created.push_back(ports.jobs.enqueue(wanted.front()));
    }
    bool queued = false;
    for (std::size_t i = 0; i < created.size(); ++i) {
        const bool rejected = wanted[i].rejection.has_value();
        queued = queued || !rejected;
        out.items.push_back({std::move(created[i]), rejected});
    }
    if (queued) ports.job_queued();
    return out;
}

CancelledBackup cancel_backup(JobQueue& jobs, JobId id) {
    CancelledBackup out;
    out.result = jobs.cancel(id);
    if (out.result != CancelResult::not_found) out.job = jobs.find(id);
    if (!out.job) out.result = CancelResult::not_found;
    return out;
}

std::optional<std::vector<Job>> find_jobs(JobQueue& jobs, const std::vector<JobId>& ids) {
    std::vector<Job> out;
    out.reserve(ids.size());
    for (const JobId id : ids) {
        auto job = jobs.find(id);
        if (!job) return std::nullopt;
        out.push_back(std::move(*job));
    }
    return out;
}

bool all_ended(const std::vector<Job>& jobs) {
    return std::all_of(jobs.begin(), jobs.end(),
                       [](const Job& job) { return is_terminal(job.state); });
}

}  // namespace backupd::core
