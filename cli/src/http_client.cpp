#include "http_client.hpp"

#include <array>
#include <chrono>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

namespace backupd::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Long enough for a slow server on a loaded host, short enough that a dead one is reported.
constexpr std::chrono::seconds kStepTimeout{60};

std::string reason(const beast::error_code& ec) {
    return ec.message();
}

}  // namespace

Url parse_url(const std::string& text) {
    Url url;
    std::string rest;
    if (text.starts_with("http://")) {
        rest = text.substr(7);
    } else if (text.starts_with("https://")) {
        url.https = true;
        rest = text.substr(8);
    } else {
        throw std::invalid_argument("the URL '" + text + "' must start with http:// or https://");
    }
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) url.path = rest.substr(slash);
    while (url.path.ends_with('/')) url.path.pop_back();
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string::npos)
            throw std::invalid_argument("the URL '" + text + "' has an unclosed [");
        url.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':')
                throw std::invalid_argument("the URL '" + text + "' is malformed");
            url.port = authority.substr(close + 2);
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = authority.substr(0, colon);
        if (colon != std::string::npos) url.port = authority.substr(colon + 1);
    }
    if (url.host.empty()) throw std::invalid_argument("the URL '" + text + "' names no host");
    if (url.port.empty()) url.port = url.https ? "443" : "80";
    if (url.port.find_first_not_of("0123456789") != std::string::npos || url.port.size() > 5) {
        throw std::invalid_argument("the URL '" + text + "' has a bad port '" + url.port + "'");
    }
    return url;
}

std::string url_encode(std::string_view text) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

HttpClient::HttpClient(Url url, std::optional<std::string> token, std::optional<std::string> cacert)
    : url_(std::move(url)), token_(std::move(token)), cacert_(std::move(cacert)) {}

std::string HttpClient::describe() const {
    return std::string{url_.https ? "https://" : "http://"} +
           (url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host) + ":" +
           url_.port;
}

namespace {

// One exchange over a connected stream; Stream is a tcp_stream or an ssl_stream over one.
template <class Stream>
HttpResponse exchange(Stream& stream, http::request<http::string_body>& request,
                      const std::function<void(const char*, std::size_t)>* sink,
                      const std::string& where) {
    auto& lowest = beast::get_lowest_layer(stream);
    beast::error_code ec;
    lowest.expires_after(kStepTimeout);
    http::write(stream, request, ec);
    if (ec) throw TransportError("cannot send to " + where + ": " + reason(ec));

    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    lowest.expires_after(kStepTimeout);
    http::read_header(stream, buffer, parser, ec);
    if (ec) throw TransportError("no answer from " + where + ": " + reason(ec));
    HttpResponse response;
    response.status = static_cast<int>(parser.get().result_int());
    const bool streaming = sink != nullptr && response.status == 200;
    std::array<char, 64 * 1024> chunk{};
    while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        lowest.expires_after(kStepTimeout);
        http::read(stream, buffer, parser, ec);
        if (ec == http::error::need_buffer) ec = {};
        if (ec) throw TransportError("the answer from " + where + " broke off: " + reason(ec));
        const std::size_t got = chunk.size() - parser.get().body().size;
        if (streaming) {
            (*sink)(chunk.data(), got);
        } else {
            response.body.append(chunk.data(), got);
        }
    }
    return response;
}

HttpResponse perform(const Url& url, const std::optional<std::string>& token,
                     const std::optional<std::string>& cacert, const std::string& where,
                     http::request<http::string_body>& request,
                     const std::function<void(const char*, std::size_t)>* sink) {
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) throw TransportError("cannot resolve " + url.host + ": " + reason(ec));
    request.set(http::field::host, url.host + ":" + url.port);
    request.set(http::field::user_agent, "backupctl");
    if (token) request.set(http::field::authorization, "Bearer " + *token);
    request.prepare_payload();

    if (!url.https) {
        beast::tcp_stream stream(io);
        stream.expires_after(kStepTimeout);
        stream.connect(endpoints, ec);
        if (ec) throw TransportError("cannot reach " + where + ": " + reason(ec));
        auto response = exchange(stream, request, sink, where);
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        return response;
    }
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_peer);
    if (cacert) {
        tls.load_verify_file(*cacert, ec);
        if (ec) throw TransportError("cannot load the CA file " + *cacert + ": " + reason(ec));
    } else {
        tls.set_default_verify_paths();
    }
    tls.set_verify_callback(asio::ssl::host_name_verification(url.host));
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    // SNI; an IP address is not sent as a server name.
    boost::system::error_code address_ec;
    asio::ip::make_address(url.host, address_ec);
    if (address_ec) SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
    beast::get_lowest_layer(stream).expires_after(kStepTimeout);
    beast::get_lowest_layer(stream).connect(endpoints, ec);
    if (ec) throw TransportError("cannot reach " + where + ": " + reason(ec));
    stream.handshake(asio::ssl::stream_base::client, ec);
    if (ec) throw TransportError("TLS handshake with " + where + " failed: " + reason(ec));
    auto response = exchange(stream, request, sink, where);
    stream.shutdown(ec);  // the server may just close; that is not an error here
    return response;
}

http::verb verb_of(std::string_view method) {
    const auto verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) throw std::invalid_argument("unknown HTTP method");
    return verb;
}

}  // namespace

HttpResponse HttpClient::request(std::string_view method, const std::string& target,
                                 const std::optional<std::string>& json_body) {
    http::request<http::string_body> request{verb_of(method), url_.path + target, 11};
    if (json_body) {
        request.set(http::field::content_type, "application/json");
        request.body() = *json_body;
    }
    return perform(url_, token_, cacert_, describe(), request, nullptr);
}

HttpResponse HttpClient::download(const std::string& target,
                                  const std::function<void(const char*, std::size_t)>& sink) {
    http::request<http::string_body> request{http::verb::get, url_.path + target, 11};
    return perform(url_, token_, cacert_, describe(), request, &sink);
}

}  // namespace backupd::cli
