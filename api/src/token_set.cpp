#include "backupd/api/token_set.hpp"

#include <fstream>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace backupd::api {
namespace {

constexpr std::string_view kBearer = "Bearer ";

std::string trim(const std::string& line) {
    const auto first = line.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    const auto last = line.find_last_not_of(" \t\r\n");
    return line.substr(first, last - first + 1);
}

// Tokens are compared by their SHA-256 so the comparison time depends on neither the length
// nor the content of the secret.
std::string digest(std::string_view text) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), out, &length, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace

TokenSet TokenSet::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read the API token file " + file.string());
    std::vector<std::string> tokens;
    for (std::string line; std::getline(in, line);) {
        const std::string token = trim(line);
        if (!token.empty() && token.front() != '#') tokens.push_back(token);
    }
    if (tokens.empty())
        throw std::runtime_error("the API token file " + file.string() + " holds no token");
    return TokenSet(tokens);
}

TokenSet::TokenSet(const std::vector<std::string>& tokens) {
    for (const auto& token : tokens) tokens_.push_back(digest(token));
}

bool TokenSet::accepts(std::string_view authorization) const {
    if (!authorization.starts_with(kBearer)) return false;
    const std::string presented = digest(authorization.substr(kBearer.size()));
    bool match = false;
    for (const std::string& token : tokens_) {
        match |= CRYPTO_memcmp(token.data(), presented.data(), token.size()) == 0;
    }
    return match;
}

}  // namespace backupd::api
