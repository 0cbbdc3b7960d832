#include "backupd/api/token_set.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace backupd::api {
namespace {

constexpr std::string_view kBearer = "Bearer ";
constexpr std::string_view kSha256 = "sha256:";
constexpr std::string_view kScopes = "scopes=";
constexpr std::string_view kBlank = " \t\r\n";

// Tokens are compared by their SHA-256 so the comparison time depends on neither the length
// nor the content of the secret.
std::array<unsigned char, 32> digest(std::string_view text) {
    std::array<unsigned char, 32> out{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), out.data(), &length, EVP_sha256(), nullptr);
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The whitespace-separated fields of one line.
std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> out;
    while (true) {
        const auto first = line.find_first_not_of(kBlank);
        if (first == std::string_view::npos) return out;
        line.remove_prefix(first);
        const auto end = std::min(line.find_first_of(kBlank), line.size());
        out.push_back(line.substr(0, end));
        line.remove_prefix(end);
    }
}

// Reads one token file line's fields; throws with `where` ("the API token file F, line N").
// Messages never quote the fields: one may be a token.
class LineReader {
public:
    explicit LineReader(std::string where) : where_(std::move(where)) {}

    std::array<unsigned char, 32> credential(std::string_view field) const {
        if (!field.starts_with(kSha256)) return digest(field);
        const std::string_view hex = field.substr(kSha256.size());
        std::array<unsigned char, 32> out{};
        if (hex.size() != 2 * out.size()) fail("sha256: needs exactly 64 hexadecimal digits");
        for (std::size_t i = 0; i < out.size(); ++i) {
            const int high = hex_value(hex[2 * i]);
            const int low = hex_value(hex[2 * i + 1]);
            if (high < 0 || low < 0) fail("sha256: needs exactly 64 hexadecimal digits");
            out[i] = static_cast<unsigned char>(high * 16 + low);
        }
        return out;
    }

    ScopeSet scopes(std::string_view field) const {
        if (!field.starts_with(kScopes)) {
            fail("expected `TOKEN` or `TOKEN scopes=read,backup,admin` (a token holds no space)");
        }
        std::string_view list = field.substr(kScopes.size());
        ScopeSet out;
        while (true) {
            const auto comma = std::min(list.find(','), list.size());
            const auto scope = parse_scope(list.substr(0, comma));
            if (!scope) fail("unknown or empty scope: a scope is read, backup or admin");
            out.add(*scope);
            if (comma == list.size()) return out;
            list.remove_prefix(comma + 1);
        }
    }

    [[noreturn]] void fail(std::string_view why) const {
        throw std::runtime_error(where_ + ": " + std::string(why));
    }

private:
    std::string where_;
};

}  // namespace

TokenSet TokenSet::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read the API token file " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file.string());
}

TokenSet TokenSet::parse(std::string_view text, const std::string& origin) {
    TokenSet out;
    for (std::size_t number = 1; !text.empty(); ++number) {
        const auto end = std::min(text.find('\n'), text.size());
        const auto fields = fields_of(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (fields.empty() || fields.front().starts_with('#')) continue;
        const LineReader line("the API token file " + origin + ", line " + std::to_string(number));
        if (fields.size() > 2) line.fail("more than one field after the token");
        if (fields[0].starts_with(kScopes)) line.fail("the token comes first, then scopes=");
        const ScopeSet scopes = fields.size() == 2 ? line.scopes(fields[1]) : ScopeSet::all();
        out.entries_.push_back({line.credential(fields[0]), scopes});
    }
    if (out.empty()) throw std::runtime_error("the API token file " + origin + " holds no token");
    return out;
}

TokenSet::TokenSet(const std::vector<std::string>& tokens) {
    for (const auto& token : tokens) entries_.push_back({digest(token), ScopeSet::all()});
}

std::optional<ScopeSet> TokenSet::admit(std::string_view authorization) const {
    if (!authorization.starts_with(kBearer)) return std::nullopt;
    const auto presented = digest(authorization.substr(kBearer.size()));
    // No branch on a comparison's result: every entry costs the same, and the scopes of the
    // matching one are picked with a mask.
    unsigned matched = 0;
    unsigned granted = 0;
    for (const Entry& entry : entries_) {
        const int differs = CRYPTO_memcmp(entry.digest.data(), presented.data(), kDigestSize);
        const unsigned mask = 0U - static_cast<unsigned>(differs == 0);
        matched |= mask;
        granted |= mask & entry.scopes.bits();
    }
    if (matched == 0) return std::nullopt;
    return ScopeSet::from_bits(static_cast<std::uint8_t>(granted));
}

}  // namespace backupd::api
