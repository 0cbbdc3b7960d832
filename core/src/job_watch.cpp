#include "backupd/core/job_watch.hpp"

#include <algorithm>
#include <utility>

namespace backupd::core {

JobWatch::Subscription::Subscription(Subscription&& other) noexcept
    : watch_(std::exchange(other.watch_, nullptr)), id_(other.id_) {}

JobWatch::Subscription& JobWatch::Subscription::operator=(Subscription&& other) noexcept {
    if (this != &other) {
        if (watch_) watch_->unsubscribe(id_);
        watch_ = std::exchange(other.watch_, nullptr);
        id_ = other.id_;
    }
    return *this;
}

JobWatch::Subscription::~Subscription() {
    if (watch_) watch_->unsubscribe(id_);
}

JobWatch::Subscription JobWatch::subscribe(std::vector<JobId> jobs, Callback on_change) {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = next_id_++;
    entries_.emplace(id, Entry{std::move(jobs), std::move(on_change)});
    return Subscription(this, id);
}

void JobWatch::notify(JobId id) {
    std::lock_guard lock(mutex_);
    for (const auto& [key, entry] : entries_) {
        if (std::find(entry.jobs.begin(), entry.jobs.end(), id) != entry.jobs.end())
            entry.on_change();
    }
}

void JobWatch::notify_all() {
    std::lock_guard lock(mutex_);
    for (const auto& [key, entry] : entries_) entry.on_change();
}

std::size_t JobWatch::subscribers() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

void JobWatch::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
}

}  // namespace backupd::core
