// The overload flags: defaults from api::ServerOptions, values parsed and bounded.
#include <boost/test/unit_test.hpp>

#include "config.hpp"

using namespace backupd::daemon;

namespace {
Invocation parse(std::vector<const char*> args) {
    args.insert(args.begin(), "backupd");
    return parse_invocation(static_cast<int>(args.size()), args.data());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(overload_config)

BOOST_AUTO_TEST_CASE(the_limits_default_to_the_servers_with_the_rate_limit_off) {
    const Config config = parse({}).config;
    const backupd::api::ServerOptions server;
    BOOST_TEST(config.max_connections == server.max_connections);
    BOOST_TEST(config.max_queued_requests == server.max_queued_requests);
    BOOST_TEST(config.max_queued_requests > 0u);
    BOOST_TEST(config.rate_limit == 0u);
    BOOST_TEST(config.rate_limit_burst == 0u);
}

BOOST_AUTO_TEST_CASE(the_limit_flags_are_read) {
    const Config config = parse({"--max-connections", "3", "--max-queued-requests", "0",
                                 "--rate-limit", "20", "--rate-limit-burst", "40"})
                              .config;
    BOOST_TEST(config.max_connections == 3u);
    BOOST_TEST(config.max_queued_requests == 0u);
    BOOST_TEST(config.rate_limit == 20u);
    BOOST_TEST(config.rate_limit_burst == 40u);
}

BOOST_AUTO_TEST_CASE(a_zero_connection_cap_is_refused_with_its_range) {
    BOOST_CHECK_EXCEPTION(
        parse({"--max-connections", "0"}), std::runtime_error, [](const std::runtime_error& e) {
            return std::string(e.what()).find("--max-connections must be a whole number from 1") ==
                   0;
        });
    BOOST_CHECK_THROW(parse({"--rate-limit", "-1"}), std::runtime_error);
    BOOST_CHECK_THROW(parse({"--rate-limit", "1.5"}), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
