// TEMP: only "@every <n>s"; the schedule helper writes the real parser and evaluator.
#include "backupd/core/schedule.hpp"

#include <charconv>

namespace backupd::core {

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text.empty() || text.back() != 's') return std::nullopt;
    long long n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
    if (ec != std::errc{} || end != text.data() + text.size() - 1 || n <= 0) return std::nullopt;
    return std::chrono::seconds{n};
}

std::variant<Schedule, std::string> Schedule::parse(std::string_view text, const TimeZone& zone) {
    if (!text.starts_with("@every ")) return std::string("only @every in this stub");
    const auto every = parse_duration(text.substr(7));
    if (!every) return std::string("bad duration");
    Schedule s;
    s.text_ = std::string(text);
    s.zone_ = zone;
    s.every_ = every;
    return s;
}

Timestamp Schedule::next_after(Timestamp after) const {
    const auto secs = std::chrono::floor<std::chrono::seconds>(after).time_since_epoch();
    const auto n = secs / *every_ + 1;
    return Timestamp{n * *every_};
}

}  // namespace backupd::core
