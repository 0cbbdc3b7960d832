#include "backupd/core/snapshots.hpp"

#include "labels.hpp"

namespace backupd::core {
namespace {

constexpr detail::LabelTable<VerifyState, 3> kVerifyStateNames{{
    {VerifyState::never, "never"},
    {VerifyState::ok, "ok"},
    {VerifyState::failed, "failed"},
}};

constexpr detail::LabelTable<EntryType, 4> kEntryTypeNames{{
    {EntryType::file, "file"},
    {EntryType::dir, "dir"},
    {EntryType::symlink, "symlink"},
    {EntryType::other, "other"},
}};

}  // namespace

std::string_view to_string(VerifyState state) {
    return detail::label_of(kVerifyStateNames, state);
}

std::optional<VerifyState> parse_verify_state(std::string_view text) {
    return detail::value_of(kVerifyStateNames, text);
}

std::string_view to_string(EntryType type) {
    return detail::label_of(kEntryTypeNames, type);
}

}  // namespace backupd::core
