#include "backupd/core/daily_stats.hpp"

#include <cstdio>
#include <map>

namespace backupd::core {

std::vector<DayCounts> every_day(const DailyStatsQuery& query,
                                 const std::vector<DayCounts>& counted) {
    std::map<std::chrono::sys_days, const DayCounts*> by_day;
    for (const DayCounts& day : counted) by_day[day.day] = &day;
    std::vector<DayCounts> out;
    for (auto day = query.from; day <= query.to; day += std::chrono::days{1}) {
        const auto found = by_day.find(day);
        out.push_back(found == by_day.end() ? DayCounts{day} : *found->second);
    }
    return out;
}

std::string format_day(std::chrono::sys_days day) {
    const std::chrono::year_month_day date{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

}  // namespace backupd::core
