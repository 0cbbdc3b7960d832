// The per-client token buckets behind --rate-limit, with time stepped by hand.
#include "server/token_bucket.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::api::server;
using namespace std::chrono_literals;

namespace {

const SteadyTime kStart = SteadyTime{} + 1000s;

// A clock the test moves.
struct ManualClock {
    SteadyTime now = kStart;
    ClientRateLimiter::Clock clock() {
        return [this] { return now; };
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(token_bucket)

BOOST_AUTO_TEST_CASE(a_new_bucket_gives_its_burst_at_once_then_refuses) {
    TokenBucket bucket(1.0, 3, kStart);
    BOOST_TEST(bucket.try_take(kStart));
    BOOST_TEST(bucket.try_take(kStart));
    BOOST_TEST(bucket.try_take(kStart));
    BOOST_TEST(!bucket.try_take(kStart));
}

BOOST_AUTO_TEST_CASE(a_bucket_refills_at_its_rate_and_never_beyond_its_burst) {
    TokenBucket bucket(2.0, 4, kStart);
    for (int i = 0; i < 4; ++i) BOOST_REQUIRE(bucket.try_take(kStart));
    BOOST_TEST(!bucket.try_take(kStart + 400ms));  // 0.8 of a token
    BOOST_TEST(bucket.try_take(kStart + 500ms));   // 1 token
    BOOST_TEST(!bucket.try_take(kStart + 500ms));
    // An hour later: full again, but only `burst` tokens.
    const SteadyTime later = kStart + 1h;
    BOOST_TEST(bucket.full(later));
    for (int i = 0; i < 4; ++i) BOOST_TEST(bucket.try_take(later));
    BOOST_TEST(!bucket.try_take(later));
}

BOOST_AUTO_TEST_CASE(retry_after_is_the_time_to_the_next_token_rounded_up_to_seconds) {
    TokenBucket bucket(0.25, 1, kStart);  // a token every 4 s
    BOOST_TEST(bucket.retry_after(kStart).count() == 0);
    BOOST_REQUIRE(bucket.try_take(kStart));
    BOOST_TEST(bucket.retry_after(kStart).count() == 4);
    BOOST_TEST(bucket.retry_after(kStart + 1500ms).count() == 3);  // 2.5 s rounded up
    BOOST_TEST(bucket.retry_after(kStart + 3999ms).count() == 1);
    BOOST_TEST(bucket.retry_after(kStart + 4s).count() == 0);

    TokenBucket fast(10.0, 1, kStart);
    BOOST_REQUIRE(fast.try_take(kStart));
    BOOST_TEST(fast.retry_after(kStart).count() == 1);  // 0.1 s rounded up
}

BOOST_AUTO_TEST_CASE(a_refused_request_takes_no_token) {
    TokenBucket bucket(1.0, 1, kStart);
    BOOST_REQUIRE(bucket.try_take(kStart));
    for (int i = 0; i < 100; ++i) BOOST_REQUIRE(!bucket.try_take(kStart + 500ms));
    BOOST_TEST(bucket.try_take(kStart + 1s));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_rate_limiter)

BOOST_AUTO_TEST_CASE(each_client_address_has_its_own_bucket) {
    ManualClock time;
    ClientRateLimiter limiter(1.0, 2, 100, time.clock());
    BOOST_TEST(!limiter.admit("192.0.2.1").has_value());
    BOOST_TEST(!limiter.admit("192.0.2.1").has_value());
    const auto refused = limiter.admit("192.0.2.1");
    BOOST_REQUIRE(refused.has_value());
    BOOST_TEST(refused->count() == 1);
    BOOST_TEST(!limiter.admit("192.0.2.2").has_value());  // another client is not held back
    time.now += 1s;
    BOOST_TEST(!limiter.admit("192.0.2.1").has_value());
}

BOOST_AUTO_TEST_CASE(retry_after_through_the_limiter_is_at_least_one_second) {
    ManualClock time;
    ClientRateLimiter limiter(0.5, 1, 100, time.clock());
    BOOST_REQUIRE(!limiter.admit("a").has_value());
    BOOST_TEST(limiter.admit("a")->count() == 2);
    time.now += 1900ms;
    BOOST_TEST(limiter.admit("a")->count() == 1);
}

BOOST_AUTO_TEST_CASE(clients_whose_bucket_refilled_are_forgotten) {
    ManualClock time;
    ClientRateLimiter limiter(1.0, 2, 100, time.clock());
    for (int i = 0; i < 50; ++i) BOOST_REQUIRE(!limiter.admit("10.0.0." + std::to_string(i)));
    BOOST_TEST(limiter.size() == 50u);
    time.now += 2s;  // every bucket is full again
    BOOST_REQUIRE(!limiter.admit("10.0.1.1").has_value());
    BOOST_TEST(limiter.size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_table_never_exceeds_its_cap_and_forgets_the_least_recently_seen) {
    ManualClock time;
    ClientRateLimiter limiter(1.0, 1, 3, time.clock());
    for (const char* client : {"a", "b", "c"}) BOOST_REQUIRE(!limiter.admit(client).has_value());
    BOOST_REQUIRE(limiter.admit("a").has_value());   // refused; "a" is now the most recent
    BOOST_REQUIRE(!limiter.admit("d").has_value());  // full table: "b" goes
    BOOST_TEST(limiter.size() == 3u);
    BOOST_TEST(limiter.admit("a").has_value());   // still remembered, still limited
    BOOST_TEST(!limiter.admit("b").has_value());  // forgotten: a fresh bucket ("c" goes)
    BOOST_TEST(limiter.size() == 3u);
    for (int i = 0; i < 1000; ++i) (void)limiter.admit("flood-" + std::to_string(i));
    BOOST_TEST(limiter.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
