#pragma once
// An in-memory core::SnapshotCatalog for unit tests: the snapshots a test adds, listed newest
// (highest id) first with the port's folder filter and keyset paging. Thread-safe (one mutex).

#include <algorithm>
#include <mutex>
#include <vector>

#include "backupd/core/snapshots.hpp"

namespace backupd::testing {

class FakeSnapshotCatalog : public core::SnapshotCatalog {
public:
    // Adds snapshot `id` of `folder`, named as the backup engine names them.
    core::Snapshot& add(core::JobId id, const std::string& folder) {
        std::lock_guard lock(mutex_);
        core::Snapshot snapshot;
        snapshot.id = id;
        snapshot.folder = folder;
        snapshot.name = "20261124T140523Z-" + std::to_string(id);
        snapshot.path = folder + "/" + snapshot.name;
        snapshot.created_at = core::now_utc();
        snapshots_.push_back(std::move(snapshot));
        std::sort(snapshots_.begin(), snapshots_.end(),
                  [](const auto& a, const auto& b) { return a.id > b.id; });
        return *std::find_if(snapshots_.begin(), snapshots_.end(),
                             [id](const auto& s) { return s.id == id; });
    }

    std::optional<core::Snapshot> find(core::JobId id) override {
        std::lock_guard lock(mutex_);
        for (const auto& snapshot : snapshots_) {
            if (snapshot.id == id) return snapshot;
        }
        return std::nullopt;
    }

    core::SnapshotPage list(const core::SnapshotFilter& filter) override {
        std::lock_guard lock(mutex_);
        core::SnapshotPage page;
        for (const auto& snapshot : snapshots_) {
            if (filter.folder && snapshot.folder != *filter.folder) continue;
            if (filter.before && snapshot.id >= *filter.before) continue;
            if (page.snapshots.size() == filter.limit) {
                page.next = page.snapshots.back().id;
                break;
            }
            page.snapshots.push_back(snapshot);
        }
        return page;
    }

private:
    std::mutex mutex_;
    std::vector<core::Snapshot> snapshots_;  // newest first
};

}  // namespace backupd::testing
