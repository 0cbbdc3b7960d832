#include "server/request_conversion.hpp"

#include <utility>

#include <boost/beast/http/field.hpp>

namespace backupd::api::server {

namespace http = boost::beast::http;

HttpRequest to_request(const http::request<http::string_body>& message, std::string client) {
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.authorization = std::string(message[http::field::authorization]);
    request.content_type = std::string(message[http::field::content_type]);
    request.range = std::string(message[http::field::range]);
    request.accept_encoding = std::string(message[http::field::accept_encoding]);
    request.if_none_match = std::string(message[http::field::if_none_match]);
    request.body = message.body();
    request.client_address = std::move(client);
    return request;
}

}  // namespace backupd::api::server
