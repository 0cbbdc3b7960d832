#pragma once
// Bearer-token authentication (DESIGN.md section 8).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace backupd::api {

class TokenSet {
public:
    TokenSet() = default;
    explicit TokenSet(const std::vector<std::string>& tokens);

    // One token per line; blank lines and lines starting with '#' are ignored, surrounding
    // whitespace trimmed. Throws std::runtime_error naming the file when it cannot be read or
    // holds no token.
    static TokenSet load(const std::filesystem::path& file);

    bool empty() const { return tokens_.empty(); }

    // True when `authorization` is "Bearer <a known token>". Compares in constant time with
    // respect to the token's content.
    bool accepts(std::string_view authorization) const;

private:
    std::vector<std::string> tokens_;  // SHA-256 digests of the tokens
};

}  // namespace backupd::api

#include <optional>

#include "backupd/api/http_message.hpp"

namespace backupd::api {

// The 401 response for a request `tokens` does not admit, or nullopt to let it through.
// /healthz is always admitted: liveness probes carry no secrets.
std::optional<HttpResponse> reject_unauthorized(const TokenSet& tokens, const HttpRequest& request);

}  // namespace backupd::api
