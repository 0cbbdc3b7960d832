// Waiting for jobs: polls each job about every 0.5 s. On a terminal, one progress bar per job,
// redrawn in place (cursor up, clear line); otherwise a plain line per job whenever its state
// changes and every 5 s while it runs. With --json the plain lines go to stderr, and the jobs'
// final JSON to stdout.
#include <chrono>
#include <map>
#include <thread>

#include "commands.hpp"
#include "progress.hpp"

namespace backupd::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds{500};
constexpr double kPlainLineEverySeconds = 5.0;

JobProgress progress_of(const rapidjson::Value& job) {
    JobProgress progress;
    progress.id = int_of(job, "id");
    progress.kind = text_of(job, "kind");
    progress.folder = text_of(job, "folder");
    progress.state = text_of(job, "state");
    progress.files_done = int_of(job, "files_copied") + int_of(job, "files_linked");
    progress.files_total = int_of(job, "files_total");
    progress.bytes_copied = int_of(job, "bytes_copied");
    progress.bytes_total = int_of(job, "bytes_total");
    if (job.HasMember("error") && job["error"].IsObject()) {
        progress.error_code = text_of(job["error"], "code");
    }
    return progress;
}

struct Watched {
    JobProgress progress;
    Estimator estimate;
    std::string body;  // the latest JSON
    std::string printed_state;
    double printed_at = -1e9;
};

}  // namespace

ExitStatus wait_for_jobs(Context& context, const std::vector<std::int64_t>& ids) {
    const auto start = Clock::now();
    std::map<std::int64_t, Watched> watched;
    const bool bars = context.terminal && !context.json;
    std::ostream& lines = context.json ? context.err : context.out;
    std::size_t drawn = 0;
    while (true) {
        const double now = std::chrono::duration<double>(Clock::now() - start).count();
        bool all_ended = true;
        for (const auto id : ids) {
            const auto response =
                context.client.request("GET", "/api/v1/jobs/" + std::to_string(id));
            if (response.status != 200) return report_refusal(context, response);
            auto& job = watched[id];
            job.body = response.body;
            job.progress = progress_of(parse_json(response.body));
            job.estimate.observe(job.progress, now);
            all_ended = all_ended && is_terminal_state(job.progress.state);
        }
        if (bars) {
            if (drawn > 0) context.out << "\x1b[" << drawn << 'A';
            for (const auto id : ids) {
                const auto& job = watched[id];
                context.out << "\r\x1b[2K" << progress_line(job.progress, job.estimate) << '\n';
            }
            drawn = ids.size();
            context.out.flush();
        } else {
            for (const auto id : ids) {
                auto& job = watched[id];
                if (job.progress.state != job.printed_state ||
                    (!is_terminal_state(job.progress.state) &&
                     now - job.printed_at >= kPlainLineEverySeconds)) {
                    lines << plain_progress_line(job.progress) << '\n';
                    lines.flush();
                    job.printed_state = job.progress.state;
                    job.printed_at = now;
                }
            }
        }
        if (all_ended) break;
        std::this_thread::sleep_for(kPollInterval);
    }

    ExitStatus status = ExitStatus::success;
    for (const auto id : ids) {
        const auto& job = watched[id];
        status = worst(status, exit_for_job_state(job.progress.state));
        if (job.progress.state == "failed") {
            const auto document = parse_json(job.body);
            const std::string message = document.HasMember("error") && document["error"].IsObject()
                                            ? text_of(document["error"], "message")
                                            : "";
            context.err << "backupctl: job " << id << " failed: " << job.progress.error_code
                        << (message.empty() ? "" : ": " + message) << '\n';
        } else if (job.progress.state == "cancelled") {
            context.err << "backupctl: job " << id << " was cancelled\n";
        }
    }
    if (context.json) {
        if (ids.size() == 1) {
            context.out << watched[ids[0]].body << '\n';
        } else {
            context.out << "{\"jobs\":[";
            for (std::size_t i = 0; i < ids.size(); ++i) {
                context.out << (i > 0 ? "," : "") << watched[ids[i]].body;
            }
            context.out << "]}\n";
        }
    }
    return status;
}

}  // namespace backupd::cli
