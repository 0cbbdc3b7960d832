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

// A directory or a symbolic link of the new manifest, pointing at its record.
struct Row {
    JoinedPath path;
    const DirectoryRecord* directory = nullptr;
    const ManifestEntry* link = nullptr;
};

ManifestEntry file_entry(const FileRef& ref) {
    const FileEntry& file = *ref.file;
    ManifestEntry entry;
    entry.path = ref.path().str();
    entry.type = core::EntryType::file;
    entry.size = file.size;
    entry.mtime_ns = nanoseconds(file.mtime);
    entry.mode = file.mode & 07777;
    entry.uid = file.uid;
    entry.gid = file.gid;
    entry.digest = to_hex(file.digest);
    return entry;
}

ManifestEntry row_entry(const Row& row) {
    if (row.link != nullptr) return *row.link;
    ManifestEntry entry = entry_from_stat(row.directory->info);
    entry.path = row.directory->path;
    return entry;
}

}  // namespace

ManifestEntry entry_from_stat(const struct stat& info) {
    ManifestEntry entry;
    entry.type = entry_type_of(info.st_mode);
    entry.size = S_ISDIR(info.st_mode) ? 0 : info.st_size;
    entry.mtime_ns = nanoseconds(info.st_mtim);
    entry.mode = info.st_mode & 07777;
    entry.uid = info.st_uid;
    entry.gid = info.st_gid;
    return entry;
}

std::vector<FileRef> files_in_manifest_order(std::deque<FileBatch>& batches, std::size_t count) {
    std::vector<FileRef> files;
    files.reserve(count);
    for (auto& batch : batches) {
        for (auto& file : batch.files) files.push_back({&batch.directory, &file});
    }
    std::sort(files.begin(), files.end(), [](const FileRef& a, const FileRef& b) {
        // Files of one batch share their directory: their names decide, in plain byte order.
        if (a.directory == b.directory) return a.file->name < b.file->name;
        return manifest_compare(a.path(), b.path()) < 0;
    });
    return files;
}

bool mark_unchanged(int fd, const std::vector<FileRef>& files, bool keep_owner) {
    std::size_t next = 0;
    try {
        read_manifest(fd, [&](ManifestEntry&& entry) {
            if (entry.type != core::EntryType::file) return;
            const std::string_view path = entry.path;
            while (next < files.size() && manifest_compare(files[next].path(), path) < 0) ++next;
            if (next == files.size() || manifest_compare(files[next].path(), path) != 0) return;
            FileEntry& file = *files[next].file;
            if (file.size != entry.size || nanoseconds(file.mtime) != entry.mtime_ns ||
                (file.mode & 07777) != entry.mode ||
                (keep_owner && (file.uid != entry.uid || file.gid != entry.gid))) {
                return;
            }
            file.digest = *parse_hex(entry.digest);  // read_manifest checked it
            file.unchanged = true;
        });
    } catch (const ManifestError&) {
        for (const auto& ref : files) ref.file->unchanged = false;
        return false;
    } catch (const std::system_error&) {
        for (const auto& ref : files) ref.file->unchanged = false;
        return false;
    }
    return true;
}

core::ManifestSummary write_tree_manifest(int fd, const Filesystem& fs,
                                          const std::vector<DirectoryRecord>& directories,
                                          const std::vector<FileRef>& files,
                                          const std::vector<ManifestEntry>& links) {
    // Directories and links are few: sorted apart, then merged with the sorted files.
    std::vector<Row> rows;
    rows.reserve(directories.size() + links.size());
    for (const auto& directory : directories) rows.push_back({split(directory.path), &directory});
    for (const auto& link : links) rows.push_back({split(link.path), nullptr, &link});
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return manifest_compare(a.path, b.path) < 0; });

    ManifestWriter writer(fd, fs);
    auto row = rows.begin();
    for (const FileRef& file : files) {
        if (file.file->fate == FileEntry::Fate::pending) continue;  // not in the snapshot
        for (; row != rows.end() && manifest_compare(row->path, file.path()) < 0; ++row)
            writer.add(row_entry(*row));
        writer.add(file_entry(file));
    }
    for (; row != rows.end(); ++row) writer.add(row_entry(*row));
    return writer.finish();
}

}  // namespace backupd::copy::detail
