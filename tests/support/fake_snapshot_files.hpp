#pragma once
// An in-memory core::SnapshotFiles for unit tests: snapshots as maps from relative path to
// entry, with the port's errors (not_found, not_a_directory, not_a_file, symlink_in_path).
// Directories on the way to an added entry exist implicitly. Add entries before sharing it
// between threads; reads are then safe from any thread.

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "backupd/core/error.hpp"
#include "backupd/core/snapshots.hpp"

namespace backupd::testing {

class FakeSnapshotFiles : public core::SnapshotFiles {
public:
    struct Entry {
        core::EntryType type = core::EntryType::file;
        std::string content;                // files
        std::optional<std::string> target;  // symlinks
        std::optional<std::string> digest;  // files: the manifest's digest
        std::uint32_t mode = 0644;
    };

    // Makes snapshot `snapshot_path` exist (empty).
    void add_snapshot(const std::string& snapshot_path) { snapshots_[snapshot_path]; }

    void add_file(const std::string& snapshot_path, const std::string& path, std::string content,
                  std::optional<std::string> digest = std::nullopt) {
        add(snapshot_path, path, {core::EntryType::file, std::move(content), {}, digest});
    }
    void add_dir(const std::string& snapshot_path, const std::string& path) {
        add(snapshot_path, path, {core::EntryType::dir, {}, {}, {}, 0755});
    }
    void add_symlink(const std::string& snapshot_path, const std::string& path,
                     std::string target) {
        add(snapshot_path, path, {core::EntryType::symlink, {}, std::move(target), {}, 0777});
    }
    // The snapshot's directory goes (deleted by hand or by retention).
    void remove_snapshot(const std::string& snapshot_path) { snapshots_.erase(snapshot_path); }

    bool exists(std::string_view snapshot_path) const override {
        return snapshots_.contains(std::string(snapshot_path));
    }

    core::DirectoryPage list(std::string_view snapshot_path, std::string_view path,
                             const std::optional<std::string>& after,
                             std::size_t limit) const override {
        const auto& tree = snapshot(snapshot_path);
        if (!path.empty() && entry(tree, path).type != core::EntryType::dir) {
            throw core::Error(core::ErrorCode::not_a_directory,
                              core::message_for(core::ErrorCode::not_a_directory, path));
        }
        const std::string prefix = path.empty() ? "" : std::string(path) + "/";
        core::DirectoryPage page;
        for (const auto& [name, found] : tree) {
            if (!name.starts_with(prefix)) continue;
            const std::string child = name.substr(prefix.size());
            if (child.empty() || child.find('/') != std::string::npos) continue;
            if (after && child <= *after) continue;
            if (page.entries.size() == limit) {
                page.next = page.entries.back().name;
                break;
            }
            core::DirectoryEntry out;
            out.name = child;
            out.type = found.type;
            out.size = static_cast<std::int64_t>(found.content.size());
            out.mode = found.mode;
            out.target = found.target;
            page.entries.push_back(std::move(out));
        }
        return page;
    }

    core::EntryType entry_type(std::string_view snapshot_path,
                               std::string_view path) const override {
        return entry(snapshot(snapshot_path), path).type;
    }

    core::OpenedSnapshotFile open(std::string_view snapshot_path,
                                  std::string_view path) const override {
        const Entry& found = entry(snapshot(snapshot_path), path);
        if (found.type != core::EntryType::file) {
            throw core::Error(core::ErrorCode::not_a_file,
                              core::message_for(core::ErrorCode::not_a_file, path));
        }
        return {std::make_unique<File>(found.content), found.digest};
    }

private:
    using Tree = std::map<std::string, Entry>;  // by path, byte order

    class File : public core::SnapshotFile {
    public:
        explicit File(std::string content) : content_(std::move(content)) {}
        std::int64_t size() const override { return static_cast<std::int64_t>(content_.size()); }
        std::size_t read(std::int64_t offset, std::span<char> buffer) override {
            const auto at = std::min(static_cast<std::size_t>(offset), content_.size());
            const std::size_t n = std::min(buffer.size(), content_.size() - at);
            std::memcpy(buffer.data(), content_.data() + at, n);
            return n;
        }

    private:
        std::string content_;
    };

    void add(const std::string& snapshot_path, const std::string& path, Entry entry) {
        auto& tree = snapshots_[snapshot_path];
        for (auto slash = path.find('/'); slash != std::string::npos;
             slash = path.find('/', slash + 1)) {
            tree.try_emplace(path.substr(0, slash), Entry{core::EntryType::dir, {}, {}, {}, 0755});
        }
        tree[path] = std::move(entry);
    }

    const Tree& snapshot(std::string_view snapshot_path) const {
        const auto found = snapshots_.find(std::string(snapshot_path));
        if (found == snapshots_.end()) {
            throw core::Error(core::ErrorCode::not_found, "No such snapshot");
        }
        return found->second;
    }

    // The entry at `path`, refusing a symbolic link on the way (as the real port does).
    static const Entry& entry(const Tree& tree, std::string_view path) {
        for (auto slash = path.find('/'); slash != std::string_view::npos;
             slash = path.find('/', slash + 1)) {
            const auto parent = tree.find(std::string(path.substr(0, slash)));
            if (parent != tree.end() && parent->second.type == core::EntryType::symlink) {
                throw core::Error(core::ErrorCode::symlink_in_path,
                                  core::message_for(core::ErrorCode::symlink_in_path, path));
            }
        }
        const auto found = tree.find(std::string(path));
        if (found == tree.end()) {
            throw core::Error(core::ErrorCode::not_found,
                              "No such file in the snapshot: " + std::string(path));
        }
        return found->second;
    }

    std::map<std::string, Tree> snapshots_;
};

}  // namespace backupd::testing
