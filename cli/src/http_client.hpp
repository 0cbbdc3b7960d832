#pragma once
// backupctl's HTTP(S) client: one connection per request (Boost.Beast, synchronous, a deadline
// on every step), a bearer token when configured, server certificates verified for https (the
// system's CAs or --cacert) with the host name checked. Failing to connect, a TLS failure or a
// timeout throws TransportError (exit 3); any HTTP answer, whatever its status, is returned.
// Not thread-safe; backupctl is single-threaded.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace backupd::cli {

struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Url {
    bool https = false;
    std::string host;
    std::string port;
    std::string path;  // prefix before /api/v1, "" normally
};

// Parses http://host[:port][/prefix] and https://...; IPv6 hosts in brackets. Throws
// std::invalid_argument with a message naming the URL.
Url parse_url(const std::string& url);

// Percent-encodes a query value or path segment (everything but unreserved characters).
std::string url_encode(std::string_view text);

struct HttpResponse {
    int status = 0;
    std::string body;
};

class HttpClient {
public:
    HttpClient(Url url, std::optional<std::string> token, std::optional<std::string> cacert);

    // target starts with '/'. A body is sent as application/json.
    HttpResponse request(std::string_view method, const std::string& target,
                         const std::optional<std::string>& json_body = std::nullopt);

    // GET streaming a 200 answer's body to sink chunk by chunk; another status's body is
    // returned whole in the response instead.
    HttpResponse download(const std::string& target,
                          const std::function<void(const char*, std::size_t)>& sink);

    std::string describe() const;  // "http://host:port" for messages (never the token)

private:
    Url url_;
    std::optional<std::string> token_;
    std::optional<std::string> cacert_;
};

}  // namespace backupd::cli
