#include "backupd/api/reject_unauthorized.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::api;

namespace {
HttpRequest request(std::string method, std::string target, std::string authorization = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.authorization = std::move(authorization);
    return r;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(reject_unauthorized_check)

BOOST_AUTO_TEST_CASE(tokens_guard_every_route_but_healthz) {
    const TokenSet tokens(std::vector<std::string>{"alpha", "beta"});
    BOOST_TEST(!reject_unauthorized(tokens, request("GET", "/healthz")).has_value());
    const auto missing = reject_unauthorized(tokens, request("GET", "/things"));
    BOOST_REQUIRE(missing.has_value());
    BOOST_TEST(missing->status == 401);
    BOOST_TEST(reject_unauthorized(tokens, request("GET", "/things", "Bearer gamma")).has_value());
    BOOST_TEST(reject_unauthorized(tokens, request("GET", "/things", "bearer beta")).has_value());
    BOOST_TEST(reject_unauthorized(tokens, request("GET", "/things", "Bearer alph")).has_value());
    BOOST_TEST(!reject_unauthorized(tokens, request("GET", "/things", "Bearer beta")).has_value());
    BOOST_TEST(!reject_unauthorized(TokenSet{}, request("GET", "/things")).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
