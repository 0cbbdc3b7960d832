#include "work_group.hpp"

#include <thread>
#include <vector>

namespace backupd::copy::detail {

void WorkGroup::add(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (failure_) return;
        tasks_.push_back(std::move(task));
    }
    changed_.notify_one();
}

void WorkGroup::run() {
    {
        std::vector<std::jthread> helpers;
        helpers.reserve(threads_ - 1);
        for (unsigned i = 1; i < threads_; ++i) helpers.emplace_back([this] { work(); });
        work();
    }
    if (failure_) std::rethrow_exception(failure_);
}

void WorkGroup::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return !tasks_.empty() || running_ == 0; });
        if (tasks_.empty()) {
            changed_.notify_all();  // nothing queued or running: everyone may leave
            return;
        }
        auto task = std::move(tasks_.back());
        tasks_.pop_back();
        ++running_;
        lock.unlock();
        try {
            task();
        } catch (...) {
            lock.lock();
            if (!failure_) failure_ = std::current_exception();
            tasks_.clear();
            lock.unlock();
        }
        lock.lock();
        --running_;
        changed_.notify_all();
    }
}

}  // namespace backupd::copy::detail
