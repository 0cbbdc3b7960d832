#include "backupd/core/audit.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace backupd::core {
namespace {

constexpr std::array<std::pair<AuditAction, std::string_view>, 3> kActionLabels{{
    {AuditAction::backup, "Backup"},
    {AuditAction::get_log, "Get Log"},
    {AuditAction::get_stats, "Get Stats"},
}};

constexpr std::array<std::pair<AuditStatus, std::string_view>, 2> kStatusLabels{{
    {AuditStatus::success, "SUCCESS"},
    {AuditStatus::failed, "FAILED"},
}};

template <typename Enum, std::size_t N>
std::string_view label_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
    for (const auto& [value, label] : table) {
        if (value == e) return label;
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
    for (const auto& [value, label] : table) {
        if (label == text) return value;
    }
    return std::nullopt;
}

template <typename Int>
bool parse_integer(std::string_view text, Int& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

std::string_view to_string(AuditAction action) { return label_of(kActionLabels, action); }

std::optional<AuditAction> parse_audit_action(std::string_view label) {
    return value_of(kActionLabels, label);
}

std::string_view to_string(AuditStatus status) { return label_of(kStatusLabels, status); }

std::optional<AuditStatus> parse_audit_status(std::string_view label) {
    return value_of(kStatusLabels, label);
}

std::string encode_cursor(const AuditCursor& cursor) {
    return std::to_string(cursor.at.time_since_epoch().count()) + "." + std::to_string(cursor.id);
}

std::optional<AuditCursor> decode_cursor(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    std::int64_t micros = 0;
    AuditId id = 0;
    if (!parse_integer(text.substr(0, dot), micros) || !parse_integer(text.substr(dot + 1), id) ||
        micros < 0 || id < 0) {
        return std::nullopt;
    }
    return AuditCursor{Timestamp{std::chrono::microseconds{micros}}, id};
}

}  // namespace backupd::core
