#pragma once
// Requests and responses as handlers see them: plain values, no Beast, so handlers and the
// router are tested without sockets.

#include <string>
#include <utility>
#include <vector>

namespace backupd::api {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query as received
    std::string authorization;
    std::string content_type;
    std::string body;
    std::string client_address;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, Location)
};

}  // namespace backupd::api
