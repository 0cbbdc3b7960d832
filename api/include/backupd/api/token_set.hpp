#pragma once
// The API tokens a server accepts (docs/design.md section 8), kept as digests and compared in
// constant time. Thread-safety: immutable once built; accepts() is safe from any thread.

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
