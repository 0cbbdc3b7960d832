#pragma once
// The live sessions of a server, so stop() can reach them (internal to the HTTP server).
// Thread-safety: every member is safe from any thread.

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <set>

#include <boost/asio/any_io_executor.hpp>

namespace backupd::api::server {

// What stop() may reach of a live session.
struct SessionHandle {
    boost::asio::any_io_executor executor;  // the session's strand
    // Run on that strand when the server stops: ends an idle connection, wakes a waiting answer.
    std::function<void()> on_stop;
};

class SessionRegistry {
public:
    // Registers a session for as long as it lives, however it ends. The caller counted the
    // session (reserve()) before starting it.
    class Entry {
    public:
        Entry(SessionRegistry& registry, SessionHandle& handle);
        ~Entry();
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;

    private:
        SessionRegistry& registry_;
        SessionHandle& handle_;
    };

    // Counts a session about to start, unless `limit` are already live.
    [[nodiscard]] bool reserve(std::size_t limit);
    std::size_t count() const { return count_.load(); }

    // Runs each live session's on_stop on its own strand, where the session also unregisters,
    // so none is reached after it ended.
    void stop_all();

private:
    std::mutex mutex_;
    std::set<SessionHandle*> sessions_;
    std::atomic<std::size_t> count_{0};
};

}  // namespace backupd::api::server
