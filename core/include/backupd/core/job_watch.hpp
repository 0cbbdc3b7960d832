#pragma once
// Wakes whoever waits for a job (a client that asked to wait for its outcome) when the job
// changes on this node, so waiting costs no database reads. Changes made by other nodes are not
// seen here: waiters look again at a modest interval for those.
//
// Thread-safety: every member is safe from any thread. Callbacks run on the notifying thread
// with the watch's lock held: they must be quick (post to an executor and return) and must not
// subscribe or unsubscribe. Once a Subscription is gone, its callback is never called again.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "backupd/core/job.hpp"

namespace backupd::core {

class JobWatch {
public:
    using Callback = std::function<void()>;

    // Keeps a callback registered for as long as it lives.
    class Subscription {
    public:
        Subscription() = default;
        Subscription(Subscription&& other) noexcept;
        Subscription& operator=(Subscription&& other) noexcept;
        ~Subscription();

    private:
        friend class JobWatch;
        Subscription(JobWatch* watch, std::uint64_t id) : watch_(watch), id_(id) {}
        JobWatch* watch_ = nullptr;
        std::uint64_t id_ = 0;
    };

    JobWatch() = default;
    JobWatch(const JobWatch&) = delete;
    JobWatch& operator=(const JobWatch&) = delete;

    // `on_change` is called after any job of `jobs` changes, and after notify_all(). The watch
    // must outlive the subscription.
    [[nodiscard]] Subscription subscribe(std::vector<JobId> jobs, Callback on_change);

    // Job `id` changed: calls every subscriber of it.
    void notify(JobId id);
    // Some jobs changed and which is not known (the reaper): calls every subscriber.
    void notify_all();

    std::size_t subscribers() const;

private:
    void unsubscribe(std::uint64_t id);

    struct Entry {
        std::vector<JobId> jobs;
        Callback on_change;
    };
    mutable std::mutex mutex_;
    std::uint64_t next_id_ = 1;
    // A scan per notify: subscribers are waiting clients, bounded by the server's connections.
    std::map<std::uint64_t, Entry> entries_;
};

}  // namespace backupd::core
