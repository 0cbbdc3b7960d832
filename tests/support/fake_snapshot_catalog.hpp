#pragma once
// An in-memory core::SnapshotCatalog for unit tests: the snapshots a test adds, listed newest
// (highest id) first with the port's folder filter and keyset paging, pins and the two pruning
// steps (a snapshot marked `pruning` or `pruned` is no longer found or listed). No fencing:
// start_pruning always takes effect. Thread-safe (one mutex).

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
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
            if (snapshot.id == id && whole(id)) return snapshot;
        }
        return std::nullopt;
    }

    // Marks snapshot `id` as having a queued or running restore or verify.
    void set_in_use(core::JobId id, bool in_use) {
        std::lock_guard lock(mutex_);
        if (in_use) {
            in_use_.insert(id);
        } else {
            in_use_.erase(id);
        }
    }

    std::vector<core::RetentionCandidate> retention_candidates(std::string_view folder) override {
        std::lock_guard lock(mutex_);
        std::vector<core::RetentionCandidate> out;
        for (const auto& s : snapshots_) {
            if (s.folder != folder || !whole(s.id)) continue;
            out.push_back({s.id, s.name, s.created_at, s.pinned, in_use_.contains(s.id)});
        }
        return out;
    }

    bool set_pinned(core::JobId id, bool pinned) override {
        std::lock_guard lock(mutex_);
        for (auto& s : snapshots_) {
            if (s.id != id || !whole(id)) continue;
            s.pinned = pinned;
            return true;
        }
        return false;
    }

    std::optional<std::vector<core::Snapshot>> start_pruning(
        const core::Claim& /*claim*/, const std::vector<core::JobId>& ids) override {
        std::lock_guard lock(mutex_);
        std::vector<core::Snapshot> marked;
        for (const auto& s : snapshots_) {
            if (std::find(ids.begin(), ids.end(), s.id) == ids.end()) continue;
            if (!whole(s.id) || s.pinned || in_use_.contains(s.id)) continue;
            states_[s.id] = State::pruning;
            marked.push_back(s);
        }
        return marked;
    }

    std::vector<core::Snapshot> pruning(std::string_view folder) override {
        std::lock_guard lock(mutex_);
        std::vector<core::Snapshot> out;
        for (const auto& s : snapshots_) {
            const auto state = states_.find(s.id);
            if (s.folder == folder && state != states_.end() && state->second == State::pruning)
                out.push_back(s);
        }
        return out;
    }

    void finish_pruning(const std::vector<core::JobId>& ids) override {
        std::lock_guard lock(mutex_);
        for (const auto id : ids) states_[id] = State::pruned;
    }

    std::vector<std::pair<std::string, std::int64_t>> count_by_folder() override {
        std::lock_guard lock(mutex_);
        std::map<std::string, std::int64_t> counts;
        for (const auto& s : snapshots_) {
            if (whole(s.id)) ++counts[s.folder];
        }
        return {counts.begin(), counts.end()};
    }

    core::SnapshotPage list(const core::SnapshotFilter& filter) override {
        std::lock_guard lock(mutex_);
        core::SnapshotPage page;
        for (const auto& snapshot : snapshots_) {
            if (filter.folder && snapshot.folder != *filter.folder) continue;
            if (filter.before && snapshot.id >= *filter.before) continue;
            if (!whole(snapshot.id)) continue;
            if (page.snapshots.size() == filter.limit) {
                page.next = page.snapshots.back().id;
                break;
            }
            page.snapshots.push_back(snapshot);
        }
        return page;
    }

private:
    enum class State { pruning, pruned };

    bool whole(core::JobId id) const { return !states_.contains(id); }

    std::mutex mutex_;
    std::vector<core::Snapshot> snapshots_;  // newest first
    std::map<core::JobId, State> states_;    // absent: whole
    std::set<core::JobId> in_use_;
};

}  // namespace backupd::testing
