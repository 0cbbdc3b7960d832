#include "backupd/copy/folder_name.hpp"

#include "backupd/copy/manifest.hpp"
#include "backupd/copy/snapshot_layout.hpp"

namespace backupd::copy {
namespace {

// "<snapshot name>" or "<snapshot name>.manifest": what lives beside the snapshots.
bool is_snapshot_or_manifest_name(std::string_view segment) {
    if (segment.ends_with(kManifestSuffix)) segment.remove_suffix(kManifestSuffix.size());
    return parse_snapshot_name(segment).has_value();
}

}  // namespace

std::optional<FolderNameError> validate_folder_name(std::string_view name) {
    if (name.empty()) return FolderNameError::empty;
    if (name.size() > kMaxFolderNameBytes) return FolderNameError::too_long;
    if (name.find('\0') != std::string_view::npos) return FolderNameError::nul_byte;
    if (name.front() == '/') return FolderNameError::absolute;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = name.find('/', start);
        const std::string_view segment = name.substr(start, slash - start);
        if (segment.empty()) return FolderNameError::empty_segment;
        if (segment == "." || segment == "..") return FolderNameError::dot_segment;
        // Beneath <backup_root>/<folder>/ live the snapshots, their manifests and `latest`;
        // the root holds the staging directory.
        const bool first = start == 0;
        if (first ? segment == kStagingDirectory
                  : segment == kLatestLink || is_snapshot_or_manifest_name(segment)) {
            return FolderNameError::reserved_segment;
        }
        if (slash == std::string_view::npos) return std::nullopt;
        start = slash + 1;
    }
}

std::string_view describe(FolderNameError error) {
    switch (error) {
        case FolderNameError::empty: return "the folder name is empty";
        case FolderNameError::too_long: return "the folder name is longer than 1024 bytes";
        case FolderNameError::absolute:
            return "the folder name must be relative, not start with '/'";
        case FolderNameError::nul_byte: return "the folder name contains a NUL byte";
        case FolderNameError::empty_segment:
            return "the folder name has an empty segment (a leading, trailing or doubled '/')";
        case FolderNameError::dot_segment:
            return "the folder name may not contain '.' or '..' segments";
        case FolderNameError::reserved_segment:
            return "the folder name uses a name reserved by the backup layout ('.staging' "
                   "first, or 'latest', a snapshot name such as 20261124T140523Z-42 or a "
                   "manifest name such as 20261124T140523Z-42.manifest after the first segment)";
    }
    return "the folder name is invalid";
}

}  // namespace backupd::copy
