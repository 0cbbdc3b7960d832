#pragma once
// Running blocking work (handlers, streamed bodies, deferred answers) on the handler pool from
// a session's coroutine (internal to the HTTP server). Asio only.

#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace backupd::api::server {

// Runs `work` on `pool` and resumes on the caller's executor (its strand) with the result;
// what `work` throws is rethrown in the caller.
template <typename Work>
boost::asio::awaitable<std::invoke_result_t<Work&>> offload(boost::asio::thread_pool& pool,
                                                            Work work) {
    co_return co_await boost::asio::co_spawn(
        pool,
        [&work]() -> boost::asio::awaitable<std::invoke_result_t<Work&>> { co_return work(); },
        boost::asio::use_awaitable);
}

}  // namespace backupd::api::server
