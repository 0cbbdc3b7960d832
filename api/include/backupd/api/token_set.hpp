#pragma once
// The API tokens a server accepts and the scopes each grants (docs/design.md section 8), kept
// as SHA-256 digests and compared in constant time. Thread-safety: immutable once built;
// admit() is safe from any thread.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/api/scopes.hpp"

namespace backupd::api {

class TokenSet {
public:
    TokenSet() = default;
    // Clear tokens, each granting every scope (tests, and callers that hold no file).
    explicit TokenSet(const std::vector<std::string>& tokens);

    // The token file: one token per line, as `parse` reads it. Throws std::runtime_error naming
    // the file when it cannot be read, or as `parse` does.
    static TokenSet load(const std::filesystem::path& file);

    // One credential per line, optionally followed by its scopes:
    //   TOKEN                       every scope
    //   TOKEN scopes=read,backup    only those (read, backup, admin; comma-separated)
    //   sha256:<64 hex digits> ...  the token's SHA-256 instead of the token itself
    // Fields are separated by spaces or tabs, so a token holds none; blank lines and lines
    // starting with '#' are ignored. Throws std::runtime_error naming `origin` and the line
    // number (never the line's content) for a malformed line, an unknown scope or bad hex, and
    // when no token is left.
    static TokenSet parse(std::string_view text, const std::string& origin);

    bool empty() const { return entries_.empty(); }

    // The scopes granted when `authorization` is "Bearer <a known token>", else nullopt. Every
    // entry is compared, in constant time with respect to the tokens' content, whichever
    // matches; a token listed twice grants the union of its lines' scopes.
    std::optional<ScopeSet> admit(std::string_view authorization) const;

private:
    static constexpr std::size_t kDigestSize = 32;  // SHA-256
    struct Entry {
        std::array<unsigned char, kDigestSize> digest;
        ScopeSet scopes;
    };
    std::vector<Entry> entries_;
};

}  // namespace backupd::api
