#include "connection_pool.hpp"

#include "backupd/core/error.hpp"
#include "errors.hpp"

namespace backupd::store {

ConnectionPool::ConnectionPool(Opener open, std::size_t size,
                               std::chrono::milliseconds acquire_timeout)
    : open_(std::move(open)), acquire_timeout_(acquire_timeout), sessions_(size) {
    for (std::size_t i = size; i > 0; --i) free_slots_.push_back(i - 1);
}

ConnectionPool::Lease::~Lease() {
    if (pool_ != nullptr) pool_->give_back(slot_, broken_);
}

soci::session& ConnectionPool::Lease::session() {
    return *pool_->sessions_[slot_];
}

ConnectionPool::Lease ConnectionPool::acquire() {
    std::size_t slot = 0;
    {
        std::unique_lock lock(mutex_);
        if (!freed_.wait_for(lock, acquire_timeout_, [this] { return !free_slots_.empty(); })) {
            throw core::Error(core::ErrorCode::database_unavailable, "database busy",
                              "no database connection became free within the acquire timeout");
        }
        slot = free_slots_.back();
        free_slots_.pop_back();
    }
    Lease lease(*this, slot);
    if (!sessions_[slot]) {
        // Opening happens outside the lock: a slow connect must not stall other callers.
        try {
            sessions_[slot] = open_();
        } catch (const soci::soci_error& e) {
            lease.mark_broken();
            throw translate(e);
        }
    }
    return lease;
}

void ConnectionPool::give_back(std::size_t slot, bool broken) {
    std::unique_ptr<soci::session> doomed;
    if (broken) doomed = std::move(sessions_[slot]);
    {
        std::lock_guard lock(mutex_);
        free_slots_.push_back(slot);
    }
    freed_.notify_one();
    // `doomed` closes here, after the slot is free and outside the lock.
}

}  // namespace backupd::store
