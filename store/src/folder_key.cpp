#include "folder_key.hpp"

#include <array>
#include <cstddef>

#include <openssl/evp.h>

#include "backupd/core/error.hpp"

namespace backupd::store {

std::string folder_key(const std::string& folder) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(folder.data(), folder.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
        1) {
        throw core::Error(core::ErrorCode::internal_error, "internal error", "SHA-256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(std::size_t{length} * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

}  // namespace backupd::store
