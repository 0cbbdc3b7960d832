#include "backupd/core/time_zone.hpp"

#include <stdexcept>

#include <date/tz.h>

namespace backupd::core {

TimeZone::TimeZone() : zone_(date::locate_zone("UTC")) {}

std::optional<TimeZone> TimeZone::find(std::string_view name) {
    // Zone names are a few ASCII segments; anything else is refused before the lookup, which
    // would otherwise try it as a file name under the zoneinfo directory.
    if (name.empty() || name.size() > 64 || name.front() == '/' ||
        name.find("..") != std::string_view::npos) {
        return std::nullopt;
    }
    // Debian's zoneinfo directory holds "localtime", a link to the host's /etc/localtime: not a
    // tzdata name, and a plan in it would follow whatever zone the server happens to be set to.
    if (name == "localtime") return std::nullopt;
    for (const char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+';
        if (!ok) return std::nullopt;
    }
    try {
        return TimeZone(date::locate_zone(name));
    } catch (const std::runtime_error&) {
        return std::nullopt;
    }
}

const std::string& TimeZone::name() const {
    return zone_->name();
}

LocalSeconds TimeZone::to_local(Timestamp at) const {
    const auto local = zone_->to_local(std::chrono::floor<std::chrono::seconds>(at));
    return LocalSeconds{local.time_since_epoch()};
}

std::optional<Timestamp> TimeZone::to_utc(LocalSeconds local) const {
    const date::local_seconds wall{local.time_since_epoch()};
    const auto info = zone_->get_info(wall);
    switch (info.result) {
        case date::local_info::unique:
        case date::local_info::ambiguous:  // `first` is the earlier of the two occurrences
            return Timestamp{wall.time_since_epoch() - info.first.offset};
        case date::local_info::nonexistent: return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace backupd::core
