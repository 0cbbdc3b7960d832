// Admission control without a server: the connection cap with its bounded refusals, the bound
// on requests waiting for a handler thread, and the per-client rate limit, each answered 429
// too_busy with Retry-After and reported by reason.
#include "server/admission.hpp"

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

using namespace backupd::api;
using namespace backupd::api::server;
using namespace std::chrono_literals;

namespace {

std::string header(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) return value;
    }
    return "(none)";
}

// Options whose refusals land in `reported`.
struct Fixture {
    std::vector<Refusal> reported;
    SteadyTime now = SteadyTime{} + 1000s;
    ServerOptions options;

    Fixture() {
        options.refused = [this](Refusal reason) { reported.push_back(reason); };
    }
    ClientRateLimiter::Clock clock() {
        return [this] { return now; };
    }
};

void expect_too_busy(const Admission::Ticket& ticket, const std::string& retry_after) {
    BOOST_REQUIRE(!ticket.admitted());
    BOOST_TEST(ticket.refusal().status == 429);
    BOOST_TEST(ticket.refusal().body.find(R"("code":"too_busy")") != std::string::npos);
    BOOST_TEST(header(ticket.refusal(), "Retry-After") == retry_after);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admission)

BOOST_FIXTURE_TEST_CASE(beyond_the_connection_cap_a_few_are_answered_then_the_rest_closed,
                        Fixture) {
    options.max_connections = 2;
    Admission admission(options);
    SessionRegistry sessions;
    BOOST_TEST((admission.admit_connection(sessions) == Admission::Connection::serve));
    BOOST_TEST((admission.admit_connection(sessions) == Admission::Connection::serve));
    for (std::size_t i = 0; i < Admission::kRefusingConnections; ++i) {
        BOOST_TEST((admission.admit_connection(sessions) == Admission::Connection::refuse));
    }
    BOOST_TEST((admission.admit_connection(sessions) == Admission::Connection::close));
    // Closed ones are not counted; every refusal is reported.
    BOOST_TEST(sessions.count() == 2 + Admission::kRefusingConnections);
    BOOST_TEST(reported.size() == Admission::kRefusingConnections + 1);
    BOOST_TEST((reported.back() == Refusal::connections));
}

BOOST_FIXTURE_TEST_CASE(a_refusing_connection_gets_429_without_a_second_report, Fixture) {
    Admission admission(options);
    expect_too_busy(admission.admit_request("192.0.2.1", true), "1");
    BOOST_TEST(reported.empty());  // counted when the connection was admitted
    BOOST_TEST(admission.in_flight() == 0u);
}

BOOST_FIXTURE_TEST_CASE(requests_beyond_the_queue_bound_are_refused_until_one_ends, Fixture) {
    options.handler_threads = 2;
    options.max_queued_requests = 1;
    Admission admission(options);
    std::vector<Admission::Ticket> held;
    for (int i = 0; i < 3; ++i) {  // two running, one waiting
        held.push_back(admission.admit_request("192.0.2.1", false));
        BOOST_REQUIRE(held.back().admitted());
    }
    expect_too_busy(admission.admit_request("192.0.2.1", false), "1");
    BOOST_TEST(reported.size() == 1u);
    BOOST_TEST((reported.at(0) == Refusal::queue));
    BOOST_TEST(admission.in_flight() == 3u);  // the refused one gave its place back
    held.pop_back();
    BOOST_TEST(admission.admit_request("192.0.2.1", false).admitted());
    held.clear();
    BOOST_TEST(admission.in_flight() == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_queue_bound_of_zero_means_none, Fixture) {
    options.handler_threads = 1;
    options.max_queued_requests = 0;
    Admission admission(options);
    std::vector<Admission::Ticket> held;
    for (int i = 0; i < 5000; ++i) held.push_back(admission.admit_request("192.0.2.1", false));
    for (const auto& ticket : held) BOOST_REQUIRE(ticket.admitted());
    BOOST_TEST(reported.empty());
}

BOOST_FIXTURE_TEST_CASE(the_rate_limit_is_off_by_default, Fixture) {
    options.max_queued_requests = 0;
    Admission admission(options, clock());
    for (int i = 0; i < 1000; ++i) {
        BOOST_REQUIRE(admission.admit_request("192.0.2.1", false).admitted());
    }
    BOOST_TEST(reported.empty());
}

BOOST_FIXTURE_TEST_CASE(a_client_beyond_the_rate_limit_is_refused_with_retry_after, Fixture) {
    options.rate_limit = 1;
    options.rate_limit_burst = 2;
    Admission admission(options, clock());
    BOOST_TEST(admission.admit_request("192.0.2.1", false).admitted());
    BOOST_TEST(admission.admit_request("192.0.2.1", false).admitted());
    expect_too_busy(admission.admit_request("192.0.2.1", false), "1");
    BOOST_TEST(reported.size() == 1u);
    BOOST_TEST((reported.at(0) == Refusal::rate_limit));
    BOOST_TEST(admission.admit_request("192.0.2.2", false).admitted());
    now += 1s;
    BOOST_TEST(admission.admit_request("192.0.2.1", false).admitted());
}

BOOST_FIXTURE_TEST_CASE(a_burst_of_zero_is_one_seconds_worth_of_the_rate, Fixture) {
    options.rate_limit = 5;
    Admission admission(options, clock());
    for (int i = 0; i < 5; ++i) BOOST_TEST(admission.admit_request("c", false).admitted());
    BOOST_TEST(!admission.admit_request("c", false).admitted());
}

BOOST_AUTO_TEST_CASE(a_refusal_names_no_route_and_asks_at_least_a_second) {
    const HttpResponse response = too_busy(Refusal::queue, 0s);
    BOOST_TEST(response.status == 429);
    BOOST_TEST(response.route == "(refused)");
    BOOST_TEST(header(response, "Retry-After") == "1");
    BOOST_TEST(header(too_busy(Refusal::rate_limit, 7s), "Retry-After") == "7");
}

BOOST_AUTO_TEST_SUITE_END()
