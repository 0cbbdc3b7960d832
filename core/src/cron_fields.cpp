#include "cron_fields.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <variant>

namespace backupd::core::cron {

using namespace std::chrono;

namespace {

struct FieldSpec {
    const char* name;  // as in messages: "minute", "day-of-week"
    int min;
    int max;       // the largest value accepted
    int star_max;  // the end of `*` and of an open `N/step` (day-of-week: 6, not 7)
    const std::array<const char*, 12>* names;  // names[i] is value min + i; may be null
};

constexpr std::array<const char*, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 12> kDayNames = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr, nullptr, nullptr, nullptr, nullptr};

// Indexed by Field.
constexpr std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59, 59, nullptr},
    {"hour", 0, 23, 23, nullptr},
    {"day-of-month", 1, 31, 31, nullptr},
    {"month", 1, 12, 12, &kMonthNames},
    {"day-of-week", 0, 7, 6, &kDayNames},
}};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// A whole non-negative number, or nullopt (empty, a non-digit, too large for int).
std::optional<int> parse_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    for (const char c : text) {
        if (!is_digit(c)) return std::nullopt;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// A value of one field: a number or, where the field has them, a name. The message names the
// problem when there is one.
std::variant<int, std::string> parse_value(std::string_view text, const FieldSpec& field) {
    const std::string label = std::string(field.name) + " " + std::string(text);
    if (!text.empty() && is_digit(text.front())) {
        const auto value = parse_number(text);
        if (!value) {
            if (std::all_of(text.begin(), text.end(), is_digit)) {
                return label + " is out of range " + std::to_string(field.min) + "-" +
                       std::to_string(field.max);
            }
            return "'" + std::string(text) + "' is not a valid " + field.name;
        }
        if (*value < field.min || *value > field.max) {
            return label + " is out of range " + std::to_string(field.min) + "-" +
                   std::to_string(field.max);
        }
        return *value;
    }
    if (field.names != nullptr) {
        for (std::size_t i = 0; i < field.names->size(); ++i) {
            const char* name = (*field.names)[i];
            if (name != nullptr && equals_ignoring_case(text, name)) {
                return field.min + static_cast<int>(i);
            }
        }
    }
    if (text.empty()) return std::string("empty item in the ") + field.name + " field";
    return "'" + std::string(text) + "' is not a valid " + field.name;
}

// Sets the values one list item (`*`, `5`, `1-5`, `*/15`, `10-50/20`, `5/15`) allows.
std::optional<std::string> parse_item(std::string_view item, const FieldSpec& field,
                                      std::vector<bool>& allowed) {
    if (item.empty()) return std::string("empty item in the ") + field.name + " field";
    const auto slash = item.find('/');
    const std::string_view base = item.substr(0, slash);
    int step = 1;
    if (slash != std::string_view::npos) {
        const std::string_view step_text = item.substr(slash + 1);
        const auto value = parse_number(step_text);
        if (!value) {
            if (!step_text.empty() && std::all_of(step_text.begin(), step_text.end(), is_digit)) {
                return "step " + std::string(step_text) + " is out of range 1-" +
                       std::to_string(field.max);
            }
            return "'" + std::string(step_text) + "' is not a valid step in the " + field.name +
                   " field";
        }
        if (*value == 0) return std::string("step 0 is not allowed");
        if (*value > field.max) {
            return "step " + std::to_string(*value) + " is out of range 1-" +
                   std::to_string(field.max);
        }
        step = *value;
    }

    int first = field.min;
    int last = field.star_max;
    if (base != "*") {
        const auto dash = base.find('-');
        if (dash == 0 || dash + 1 == base.size()) {
            return "'" + std::string(base) + "' is not a valid " + field.name + " range";
        }
        const auto from = parse_value(base.substr(0, dash), field);
        if (const auto* message = std::get_if<std::string>(&from)) return *message;
        first = std::get<int>(from);
        if (dash != std::string_view::npos) {
            const auto to = parse_value(base.substr(dash + 1), field);
            if (const auto* message = std::get_if<std::string>(&to)) return *message;
            last = std::get<int>(to);
            if (last < first) return "range " + std::string(base) + " is backwards";
        } else if (slash == std::string_view::npos) {
            last = first;  // a single value; `5/15` keeps the open end
        } else {
            last = std::max(first, field.star_max);
        }
    }
    for (int value = first; value <= last; value += step) {
        allowed[static_cast<std::size_t>(value)] = true;
    }
    return std::nullopt;
}

// The first allowed value >= from, or -1.
int next_allowed(const std::vector<bool>& allowed, int from) {
    for (auto i = static_cast<std::size_t>(from); i < allowed.size(); ++i) {
        if (allowed[i]) return static_cast<int>(i);
    }
    return -1;
}

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    const auto lower = [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view expand_macro(std::string_view word) {
    struct Macro {
        const char* name;
        const char* fields;
    };
    static constexpr std::array<Macro, 7> kMacros = {{
        {"@hourly", "0 * * * *"},
        {"@daily", "0 0 * * *"},
        {"@midnight", "0 0 * * *"},
        {"@weekly", "0 0 * * 0"},
        {"@monthly", "0 0 1 * *"},
        {"@yearly", "0 0 1 1 *"},
        {"@annually", "0 0 1 1 *"},
    }};
    for (const auto& macro : kMacros) {
        if (equals_ignoring_case(word, macro.name)) return macro.fields;
    }
    return {};
}

std::optional<std::string> parse_field(std::string_view text, Field which,
                                       std::vector<bool>& allowed) {
    const FieldSpec& field = kFields[static_cast<std::size_t>(which)];
    allowed.assign(static_cast<std::size_t>(field.max) + 1, false);
    for (const auto item : split(text, ',')) {
        if (auto message = parse_item(item, field, allowed)) return message;
    }
    if (which == Field::day_of_week) {
        // 7 is Sunday too; the search looks at 0-6 only.
        if (allowed[7]) allowed[0] = true;
        allowed.resize(7);
    }
    return std::nullopt;
}

bool Fields::day_matches(local_days day) const {
    const year_month_day ymd{day};
    const bool by_month_day = days_of_month[static_cast<unsigned>(ymd.day())];
    const bool by_week_day = days_of_week[weekday{day}.c_encoding()];
    // Vixie cron: both restricted, either matches; otherwise the unrestricted one allows every
    // day, and both must match.
    if (day_of_month_restricted && day_of_week_restricted) return by_month_day || by_week_day;
    return by_month_day && by_week_day;
}

std::optional<local_seconds> next_match(const Fields& cron, local_seconds from,
                                        local_seconds limit) {
    local_seconds t = from;
    while (t < limit) {
        const local_days day = floor<days>(t);
        const year_month_day ymd{day};
        if (!cron.months[static_cast<unsigned>(ymd.month())]) {
            t = local_days{(year_month{ymd.year(), ymd.month()} + months{1}) / 1};
            continue;
        }
        if (!cron.day_matches(day)) {
            t = day + days{1};
            continue;
        }
        const auto time_of_day = t - day;
        const int hour = static_cast<int>(floor<hours>(time_of_day).count());
        const int minute = static_cast<int>(floor<minutes>(time_of_day - hours{hour}).count());
        const int allowed_hour = next_allowed(cron.hours, hour);
        if (allowed_hour < 0) {
            t = day + days{1};
            continue;
        }
        if (allowed_hour != hour) {
            t = day + hours{allowed_hour};
            continue;
        }
        const int allowed_minute = next_allowed(cron.minutes, minute);
        if (allowed_minute < 0) {
            t = day + hours{hour + 1};
            continue;
        }
        return day + hours{hour} + minutes{allowed_minute};
    }
    return std::nullopt;
}

}  // namespace backupd::core::cron
