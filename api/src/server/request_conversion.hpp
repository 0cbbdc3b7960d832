#pragma once
// The request message Beast read, as the api::HttpRequest the router and handlers take (internal
// to the HTTP server). One conversion for the session and the HTTP fuzz target
// (tests/fuzz/fuzz_http_request.cpp), so the fuzzer routes exactly what the server would.

#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "backupd/api/http_message.hpp"

namespace backupd::api::server {

// Copies the method, the target, the headers handlers read (Authorization, Content-Type, Range;
// "" when absent) and the body. `client` is the peer's address as the session knows it. Leaves
// the path parameters empty: the router fills them.
HttpRequest to_request(const boost::beast::http::request<boost::beast::http::string_body>& message,
                       std::string client);

}  // namespace backupd::api::server
