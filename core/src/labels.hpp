#pragma once
// Two-way lookup between an enum and its text labels, for the small fixed tables in core.

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace backupd::core::detail {

template <typename Enum, std::size_t N>
using LabelTable = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
std::string_view label_of(const LabelTable<Enum, N>& table, Enum value) {
    for (const auto& [candidate, label] : table) {
        if (candidate == value) return label;
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const LabelTable<Enum, N>& table, std::string_view text) {
    for (const auto& [value, label] : table) {
        if (label == text) return value;
    }
    return std::nullopt;
}

}  // namespace backupd::core::detail
