#pragma once
// Folder names as clients submit them (docs/design.md section 6): a relative path of plain segments
// separated by '/', with no "." or ".." segment, no empty segment (so no leading, trailing or
// doubled '/'), no NUL byte, at most 1024 bytes. Segments that would collide with the backup
// layout (snapshot_layout.hpp) are refused too: ".staging" first, and after the first segment
// "latest" or a snapshot name such as "20261124T140523Z-42".

#include <cstddef>
#include <optional>
#include <string_view>

namespace backupd::copy {

inline constexpr std::size_t kMaxFolderNameBytes = 1024;

enum class FolderNameError {
    empty,
    too_long,
    absolute,
    nul_byte,
    empty_segment,
    dot_segment,
    reserved_segment,
};

// nullopt when `name` is acceptable.
std::optional<FolderNameError> validate_folder_name(std::string_view name);

// A sentence for the client, naming the rule that was broken (not the name itself).
std::string_view describe(FolderNameError error);

}  // namespace backupd::copy
