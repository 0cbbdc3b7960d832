#include "backupd/core/audit.hpp"

#include <charconv>

#include "labels.hpp"

namespace backupd::core {
namespace {

constexpr detail::LabelTable<AuditAction, 7> kActionLabels{{
    {AuditAction::backup, "Backup"},
    {AuditAction::get_log, "Get Log"},
    {AuditAction::get_stats, "Get Stats"},
    {AuditAction::restore, "Restore"},
    {AuditAction::verify, "Verify"},
    {AuditAction::schedule, "Schedule"},
    {AuditAction::prune, "Prune"},
}};

constexpr detail::LabelTable<AuditStatus, 2> kStatusLabels{{
    {AuditStatus::success, "SUCCESS"},
    {AuditStatus::failed, "FAILED"},
}};

template <typename Int>
bool parse_integer(std::string_view text, Int& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

AuditAction audit_action(JobKind kind) {
    switch (kind) {
        case JobKind::backup: return AuditAction::backup;
        case JobKind::restore: return AuditAction::restore;
        case JobKind::verify: return AuditAction::verify;
        case JobKind::prune: return AuditAction::prune;
    }
    return AuditAction::backup;
}

std::string_view to_string(AuditAction action) {
    return detail::label_of(kActionLabels, action);
}

std::optional<AuditAction> parse_audit_action(std::string_view label) {
    return detail::value_of(kActionLabels, label);
}

std::string_view to_string(AuditStatus status) {
    return detail::label_of(kStatusLabels, status);
}

std::optional<AuditStatus> parse_audit_status(std::string_view label) {
    return detail::value_of(kStatusLabels, label);
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
