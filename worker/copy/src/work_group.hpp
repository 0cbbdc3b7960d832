#pragma once
// A set of tasks run by a fixed number of threads until none is left (internal). Tasks may add
// more tasks. The newest task runs first, so a tree walk goes deep before wide and keeps few
// directories open. Not reusable: one run() per group.

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>

namespace backupd::copy::detail {

class WorkGroup {
public:
    explicit WorkGroup(unsigned threads) : threads_(threads == 0 ? 1 : threads) {}

    // Thread-safe; may be called from a running task.
    void add(std::function<void()> task);

    // Runs every task on `threads` threads (the caller's included) and returns when none is
    // queued or running. If a task throws, queued tasks are dropped, running ones finish, and
    // the first exception is rethrown here.
    void run();

private:
    void work();

    const unsigned threads_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::function<void()>> tasks_;
    unsigned running_ = 0;
    std::exception_ptr failure_;
};

}  // namespace backupd::copy::detail
