#pragma once
// What backupctl shows while it waits for jobs: one line per job, with a bar, percent, files,
// bytes, rate and ETA (the shape restic and Kopia print). Plain functions over the job's
// progress fields and the client's clock, so formatting and estimates are unit-tested.

#include <cstdint>
#include <optional>
#include <string>

namespace backupd::cli {

// Progress as a job reports it (GET /api/v1/jobs/{id}).
struct JobProgress {
    std::int64_t id = 0;
    std::string kind;  // backup, restore, verify, prune
    std::string folder;
    std::string state;            // queued, running, succeeded, failed, cancelled
    std::int64_t files_done = 0;  // files_copied + files_linked
    std::int64_t files_total = 0;
    std::int64_t bytes_copied = 0;
    std::int64_t bytes_total = 0;
    std::string error_code;  // "" without an error
};

bool is_terminal_state(const std::string& state);

// 1536 -> "1.5 KiB"; below 1 KiB "N B".
std::string format_bytes(double bytes);
// Seconds as "0:14", "12:03", "1:02:03".
std::string format_duration(double seconds);

// The fraction done, 0..1: files done over files known (a job that succeeded is 1, a job whose
// totals are not known yet is 0). Files rather than bytes: unchanged files are hard-linked and
// never counted in bytes_copied, so bytes would stop short of 100% on an incremental backup.
double fraction_done(const JobProgress& job);

// Rate and ETA from two observations of the same job by the client's clock (the daemon's clock
// may differ). Starts at the first observation while running.
class Estimator {
public:
    void observe(const JobProgress& job, double now_seconds);
    std::optional<double> bytes_per_second() const;
    std::optional<double> eta_seconds() const;  // nullopt until progress has been seen to move

private:
    std::optional<double> first_time_, last_time_;
    double first_fraction_ = 0, last_fraction_ = 0;
    std::int64_t first_bytes_ = 0, last_bytes_ = 0;
    bool done_ = false;
};

// "[#########...........]" of the given inner width.
std::string progress_bar(double fraction, int width);

// One line, e.g.
//   "job 42 backup photos [#####.....]  45.2%  1024/2048 files  310 MiB/700 MiB  12 MiB/s  ETA
//   0:14"
// Ended jobs show their state instead of the ETA ("succeeded", "failed: code").
std::string progress_line(const JobProgress& job, const Estimator& estimate, int bar_width = 24);

// The plain form for output that is not a terminal: no bar, no ANSI, e.g.
//   "job 42 backup photos: running 45.2% 1024/2048 files 310 MiB/700 MiB"
std::string plain_progress_line(const JobProgress& job);

}  // namespace backupd::cli
