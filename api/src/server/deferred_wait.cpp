#include "server/deferred_wait.hpp"

#include <memory>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "backupd/core/job_watch.hpp"
#include "server/handler_call.hpp"
#include "server/offload.hpp"

namespace backupd::api::server {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// Touched on the session's strand only. `woken` keeps a wake that arrives while the answer is
// being computed, so it is never lost between two waits.
struct WakeSignal {
    explicit WakeSignal(const asio::any_io_executor& executor) : timer(executor) {}
    void wake() {
        woken = true;
        timer.cancel();
    }
    asio::steady_timer timer;
    bool woken = true;  // the first look is at once
};

// A callback for the JobWatch: runs on the notifying thread, so it only posts to the strand.
// The weak pointer finds nothing once the wait is over.
std::function<void()> waker(const asio::any_io_executor& executor,
                            std::weak_ptr<WakeSignal> signal) {
    return [executor, signal = std::move(signal)] {
        asio::post(executor, [signal] {
            if (const auto live = signal.lock()) live->wake();
        });
    };
}

// One look at the deferred answer; what it throws becomes the answer (a 503 while the database
// is away), so the wait ends rather than retrying blindly.
std::optional<HttpResponse> look(const HttpRequest& request, const DeferredAnswer& deferred,
                                 bool final) {
    std::optional<HttpResponse> out;
    bool threw = true;
    HttpResponse failure = guarded(request, [&] {
        out = deferred.answer(final);
        threw = false;
        return HttpResponse{};
    });
    if (threw) return failure;
    return out;
}

}  // namespace

asio::awaitable<HttpResponse> await_deferred(ServerState& state, const HttpRequest& request,
                                             const DeferredAnswer& deferred,
                                             std::function<void()>& stop_hook) {
    const auto executor = co_await asio::this_coro::executor;
    const auto signal = std::make_shared<WakeSignal>(executor);
    std::optional<core::JobWatch::Subscription> subscription;
    if (deferred.watch)
        subscription = deferred.watch->subscribe(deferred.jobs, waker(executor, signal));
    stop_hook = [weak = std::weak_ptr<WakeSignal>(signal)] {
        if (const auto live = weak.lock()) live->wake();
    };
    const auto last = [&] { return Clock::now() >= deferred.deadline || state.stopping.load(); };
    for (;;) {
        if (!signal->woken && !last()) {
            signal->timer.expires_at(std::min(deferred.deadline, Clock::now() + deferred.recheck));
            co_await signal->timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        signal->woken = false;
        const bool final = last();
        auto answer =
            co_await offload(state.handlers, [&] { return look(request, deferred, final); });
        if (answer) {
            stop_hook = nullptr;
            co_return std::move(*answer);
        }
    }
}

}  // namespace backupd::api::server
