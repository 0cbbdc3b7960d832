#pragma once
// IANA time zones from the system's tzdata (/usr/share/zoneinfo), through Howard Hinnant's date
// library (Debian's libhowardhinnant-date-dev): g++ 12's <chrono> has no time-zone database.
// Plans use them to place cron times and retention's calendar buckets in local time.
//
// Thread-safety: a TimeZone is an immutable handle to a zone that lives for the whole process;
// copy it freely and use it from any thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "backupd/core/time.hpp"

namespace date {
class time_zone;
}

namespace backupd::core {

// Wall-clock time in a zone, without the zone: what a cron field or a calendar day is made of.
using LocalSeconds = std::chrono::local_seconds;

class TimeZone {
public:
    // "UTC".
    TimeZone();

    // The zone named `name` ("Europe/Paris", "UTC"); nullopt for a name the tzdata does not
    // know (names are case-sensitive, as in tzdata).
    static std::optional<TimeZone> find(std::string_view name);

    const std::string& name() const;

    // The local wall-clock time of an instant (seconds truncated).
    LocalSeconds to_local(Timestamp at) const;

    // The instant of a local time. `earliest` picks, for a local time that occurs twice (the
    // hour repeated when clocks go back), the first occurrence. nullopt for a local time that
    // does not exist (the hour skipped when clocks go forward).
    std::optional<Timestamp> to_utc(LocalSeconds local) const;

private:
    explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}
    const date::time_zone* zone_ = nullptr;  // never null once constructed
};

}  // namespace backupd::core
