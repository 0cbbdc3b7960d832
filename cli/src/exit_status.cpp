#include "exit_status.hpp"

namespace backupd::cli {

ExitStatus exit_for_http_status(int status) {
    if (status >= 200 && status < 300) return ExitStatus::success;
    if (status == 401 || status == 403 || status == 429 || status >= 500) {
        return ExitStatus::unavailable;
    }
    return ExitStatus::failed;
}

ExitStatus exit_for_job_state(const std::string& state) {
    if (state == "failed" || state == "cancelled") return ExitStatus::failed;
    return ExitStatus::success;
}

ExitStatus worst(ExitStatus a, ExitStatus b) {
    const auto rank = [](ExitStatus s) {
        switch (s) {
            case ExitStatus::success: return 0;
            case ExitStatus::failed: return 1;
            case ExitStatus::unavailable: return 2;
            case ExitStatus::usage: return 3;
        }
        return 3;
    };
    return rank(a) >= rank(b) ? a : b;
}

}  // namespace backupd::cli
