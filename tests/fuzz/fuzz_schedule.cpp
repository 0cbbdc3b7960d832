// Fuzz target: plan schedules. The input's first line names a time zone (core::TimeZone::find,
// which refuses anything but a short zone-like name before it reaches the tzdata files); the
// rest is a schedule (core::Schedule::parse) and a duration (core::parse_duration). Findings: a
// crash or sanitizer report, a refusal without a message, and an accepted schedule whose next
// due time is not after the instant asked about, or never comes.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "backupd/core/schedule.hpp"
#include "backupd/core/time_zone.hpp"

namespace {

using namespace backupd;
using namespace std::chrono;

[[noreturn]] void finding(const char* what, std::string_view input) {
    std::fprintf(stderr, "fuzz_schedule: %s: %.*s\n", what, static_cast<int>(input.size()),
                 input.data());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view text =
        newline == std::string_view::npos ? input : input.substr(newline + 1);
    core::TimeZone zone;  // UTC
    if (newline != std::string_view::npos) {
        const auto found = core::TimeZone::find(input.substr(0, newline));
        if (found) zone = *found;
    }

    if (const auto every = core::parse_duration(text); every && every->count() <= 0)
        finding("duration not positive", input);

    const auto parsed = core::Schedule::parse(text, zone);
    if (const auto* refusal = std::get_if<std::string>(&parsed)) {
        if (refusal->empty()) finding("schedule refused without a message", input);
        return 0;
    }
    const auto& schedule = std::get<core::Schedule>(parsed);
    for (const core::Timestamp after :
         {core::Timestamp{sys_days{year{1000} / January / 1}}, core::Timestamp{},
          core::Timestamp{sys_days{year{2026} / March / 29} + hours{1} + microseconds{7}},
          core::Timestamp{sys_days{year{9990} / December / 31}}}) {
        const core::Timestamp next = schedule.next_after(after);
        if (next <= after) finding("next due time not after the instant", input);
        if (next == core::Timestamp::max()) finding("accepted schedule never fires", input);
    }
    return 0;
}
