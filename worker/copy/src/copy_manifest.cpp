// The manifest steps of a tree copy: see tree_entries.hpp.
#include <algorithm>
#include <system_error>

#include "manifest_order.hpp"
#include "tree_entries.hpp"

namespace backupd::copy::detail {
namespace {

std::int64_t nanoseconds(const timespec& time) {
    return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::string_view parent_of(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view name_of(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

JoinedPath split(std::string_view path) {
    return {parent_of(path), name_of(path)};
}

// One entry of the new manifest, pointing at its record.
struct Row {
    JoinedPath path;
    const DirectoryRecord* directory = nullptr;
    const FileEntry* file = nullptr;
    const ManifestEntry* link = nullptr;
};

bool row_before(const Row& a, const Row& b) {
    return manifest_compare(a.path, b.path) < 0;
}

ManifestEntry file_entry(const Row& row) {
    const FileEntry& file = *row.file;
    ManifestEntry entry;
    entry.path = row.path.str();
    entry.type = core::EntryType::file;
    entry.size = file.size;
    entry.mtime_ns = nanoseconds(file.mtime);
    entry.mode = file.mode & 07777;
    entry.uid = file.uid;
    entry.gid = file.gid;
    entry.digest = to_hex(file.digest);
    return entry;
}

}  // namespace

ManifestEntry entry_from_stat(const struct stat& info) {
    ManifestEntry entry;
    entry.type = S_ISREG(info.st_mode)   ? core::EntryType::file
                 : S_ISDIR(info.st_mode) ? core::EntryType::dir
                 : S_ISLNK(info.st_mode) ? core::EntryType::symlink
                                         : core::EntryType::other;
    entry.size = S_ISDIR(info.st_mode) ? 0 : info.st_size;
    entry.mtime_ns = nanoseconds(info.st_mtim);
    entry.mode = info.st_mode & 07777;
    entry.uid = info.st_uid;
    entry.gid = info.st_gid;
    return entry;
}

bool mark_unchanged(int fd, std::deque<FileBatch>& batches, bool keep_owner) {
    std::vector<std::pair<JoinedPath, FileEntry*>> files;
    for (auto& batch : batches) {
        for (auto& file : batch.files) files.push_back({{batch.directory, file.name}, &file});
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return manifest_compare(a.first, b.first) < 0; });
    std::size_t next = 0;
    try {
        read_manifest(fd, [&](ManifestEntry&& entry) {
            if (entry.type != core::EntryType::file) return;
            const std::string_view path = entry.path;
            while (next < files.size() && manifest_compare(files[next].first, path) < 0) ++next;
            if (next == files.size() || manifest_compare(files[next].first, path) != 0) return;
            FileEntry& file = *files[next].second;
            if (file.size != entry.size || nanoseconds(file.mtime) != entry.mtime_ns ||
                (file.mode & 07777) != entry.mode ||
                (keep_owner && (file.uid != entry.uid || file.gid != entry.gid))) {
                return;
            }
            file.digest = *parse_hex(entry.digest);  // read_manifest checked it
            file.unchanged = true;
        });
    } catch (const ManifestError&) {
        for (auto& [path, file] : files) file->unchanged = false;
        return false;
    } catch (const std::system_error&) {
        for (auto& [path, file] : files) file->unchanged = false;
        return false;
    }
    return true;
}

core::ManifestSummary write_tree_manifest(int fd, const Filesystem& fs,
                                          const std::vector<DirectoryRecord>& directories,
                                          const std::deque<FileBatch>& batches,
                                          const std::vector<ManifestEntry>& links) {
    std::vector<Row> rows;
    for (const auto& directory : directories)
        rows.push_back({split(directory.path), &directory, nullptr, nullptr});
    for (const auto& batch : batches) {
        for (const auto& file : batch.files) {
            if (file.fate != FileEntry::Fate::pending)
                rows.push_back({{batch.directory, file.name}, nullptr, &file, nullptr});
        }
    }
    for (const auto& link : links) rows.push_back({split(link.path), nullptr, nullptr, &link});
    std::sort(rows.begin(), rows.end(), row_before);

    ManifestWriter writer(fd, fs);
    for (const Row& row : rows) {
        if (row.file != nullptr) {
            writer.add(file_entry(row));
        } else if (row.link != nullptr) {
            writer.add(*row.link);
        } else {
            ManifestEntry entry = entry_from_stat(row.directory->info);
            entry.path = row.directory->path;
            writer.add(entry);
        }
    }
    return writer.finish();
}

}  // namespace backupd::copy::detail
