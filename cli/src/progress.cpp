#include "progress.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace backupd::cli {

bool is_terminal_state(const std::string& state) {
    return state == "succeeded" || state == "failed" || state == "cancelled";
}

std::string format_bytes(double bytes) {
    static constexpr std::array<const char*, 6> kUnits{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    std::size_t unit = 0;
    while (bytes >= 1024 && unit + 1 < kUnits.size()) {
        bytes /= 1024;
        ++unit;
    }
    std::array<char, 32> text{};
    if (unit == 0) {
        std::snprintf(text.data(), text.size(), "%.0f B", bytes);
    } else {
        std::snprintf(text.data(), text.size(), bytes < 10 ? "%.1f %s" : "%.0f %s", bytes,
                      kUnits[unit]);
    }
    return text.data();
}

std::string format_duration(double seconds) {
    const auto total = static_cast<long long>(std::max(0.0, std::round(seconds)));
    const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
    std::array<char, 32> text{};
    if (h > 0) {
        std::snprintf(text.data(), text.size(), "%lld:%02lld:%02lld", h, m, s);
    } else {
        std::snprintf(text.data(), text.size(), "%lld:%02lld", m, s);
    }
    return text.data();
}

double fraction_done(const JobProgress& job) {
    if (job.state == "succeeded") return 1.0;
    if (job.files_total <= 0) return 0.0;
    return std::clamp(static_cast<double>(job.files_done) / static_cast<double>(job.files_total),
                      0.0, 1.0);
}

void Estimator::observe(const JobProgress& job, double now_seconds) {
    if (job.state == "queued") return;
    const double fraction = fraction_done(job);
    if (!first_time_) {
        first_time_ = now_seconds;
        first_fraction_ = fraction;
        first_bytes_ = job.bytes_copied;
    }
    last_time_ = now_seconds;
    last_fraction_ = fraction;
    last_bytes_ = job.bytes_copied;
    done_ = is_terminal_state(job.state);
}

std::optional<double> Estimator::bytes_per_second() const {
    if (!first_time_ || *last_time_ - *first_time_ < 0.2) return std::nullopt;
    return static_cast<double>(last_bytes_ - first_bytes_) / (*last_time_ - *first_time_);
}

std::optional<double> Estimator::eta_seconds() const {
    if (done_) return 0.0;
    if (!first_time_ || last_fraction_ <= first_fraction_) return std::nullopt;
    const double per_second = (last_fraction_ - first_fraction_) / (*last_time_ - *first_time_);
    return (1.0 - last_fraction_) / per_second;
}

std::string progress_bar(double fraction, int width) {
    const int filled =
        static_cast<int>(std::floor(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(width)));
    return "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(width - filled), '.') + "]";
}

namespace {

std::string head(const JobProgress& job) {
    std::string text = "job " + std::to_string(job.id) + " " + job.kind;
    if (!job.folder.empty()) text += " " + job.folder;
    return text;
}

std::string percent(double fraction) {
    std::array<char, 16> text{};
    std::snprintf(text.data(), text.size(), "%5.1f%%", fraction * 100.0);
    return text.data();
}

std::string counts(const JobProgress& job) {
    return std::to_string(job.files_done) + "/" + std::to_string(job.files_total) + " files  " +
           format_bytes(static_cast<double>(job.bytes_copied)) + "/" +
           format_bytes(static_cast<double>(job.bytes_total));
}

std::string outcome(const JobProgress& job) {
    if (job.state == "failed" && !job.error_code.empty()) return "failed: " + job.error_code;
    return job.state;
}

}  // namespace

std::string progress_line(const JobProgress& job, const Estimator& estimate, int bar_width) {
    const double fraction = fraction_done(job);
    std::string text = head(job) + " " + progress_bar(fraction, bar_width) + " " +
                       percent(fraction) + "  " + counts(job);
    if (const auto rate = estimate.bytes_per_second()) {
        text += "  " + format_bytes(*rate) + "/s";
    }
    if (is_terminal_state(job.state)) {
        text += "  " + outcome(job);
    } else if (job.state == "queued") {
        text += "  queued";
    } else if (const auto eta = estimate.eta_seconds()) {
        text += "  ETA " + format_duration(*eta);
    } else {
        text += "  ETA --:--";
    }
    return text;
}

std::string plain_progress_line(const JobProgress& job) {
    std::string text = head(job) + ": " + outcome(job);
    if (job.state != "queued") text += " " + percent(fraction_done(job)) + " " + counts(job);
    // percent() pads to a column; a plain line needs no padding.
    std::string squeezed;
    for (char c : text) {
        if (c == ' ' && !squeezed.empty() && squeezed.back() == ' ') continue;
        squeezed += c;
    }
    return squeezed;
}

}  // namespace backupd::cli
