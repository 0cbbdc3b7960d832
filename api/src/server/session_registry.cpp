#include "server/session_registry.hpp"

#include <boost/asio/post.hpp>

namespace backupd::api::server {

SessionRegistry::Entry::Entry(SessionRegistry& registry, SessionHandle& handle)
    : registry_(registry), handle_(handle) {
    std::lock_guard lock(registry_.mutex_);
    registry_.sessions_.insert(&handle_);
}

SessionRegistry::Entry::~Entry() {
    std::lock_guard lock(registry_.mutex_);
    registry_.sessions_.erase(&handle_);
    --registry_.count_;
}

bool SessionRegistry::reserve(std::size_t limit) {
    std::size_t live = count_.load();
    while (live < limit) {
        if (count_.compare_exchange_weak(live, live + 1)) return true;
    }
    return false;
}

void SessionRegistry::stop_all() {
    std::lock_guard lock(mutex_);
    for (SessionHandle* handle : sessions_) {
        boost::asio::post(handle->executor, [this, handle] {
            std::lock_guard inner(mutex_);
            if (sessions_.contains(handle) && handle->on_stop) handle->on_stop();
        });
    }
}

}  // namespace backupd::api::server
