// Digest throughput on this machine: XXH3-128 (libxxhash) against SHA-256 (OpenSSL), over the
// same hot buffer in the same run, in 1 MiB chunks as the copy engine feeds them. Built and run
// by bench/digest.sh; prints one tab-separated line per algorithm: name, MiB hashed, seconds.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <xxh_x86dispatch.h>
#include <xxhash.h>

#include <openssl/evp.h>

namespace {

constexpr std::size_t kChunk = 1 << 20;

template <typename Hash>
double seconds_for(const std::vector<unsigned char>& data, int passes, Hash hash) {
    const auto start = std::chrono::steady_clock::now();
    for (int pass = 0; pass < passes; ++pass) hash(data);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
    const int passes = argc > 2 ? std::atoi(argv[2]) : 4;
    std::vector<unsigned char> data(mib << 20);
    unsigned state = 12345;
    for (auto& byte : data)
        byte = static_cast<unsigned char>((state = state * 1103515245 + 12345) >> 16);

    unsigned long long sink = 0;
    auto xxh3 = [&](const std::vector<unsigned char>& bytes) {
        XXH3_state_t* s = XXH3_createState();
        XXH3_128bits_reset(s);
        for (std::size_t at = 0; at < bytes.size(); at += kChunk)
            XXH3_128bits_update(s, bytes.data() + at, kChunk);
        sink += XXH3_128bits_digest(s).low64;
        XXH3_freeState(s);
    };
    // The x86 dispatcher picks the widest vector unit at run time (AVX2 here), as backupd
    // does; the plain entry points are built for baseline x86-64 (SSE2).
    auto xxh3_dispatch = [&](const std::vector<unsigned char>& bytes) {
        XXH3_state_t* s = XXH3_createState();
        XXH3_128bits_reset(s);
        for (std::size_t at = 0; at < bytes.size(); at += kChunk)
            XXH3_128bits_update_dispatch(s, bytes.data() + at, kChunk);
        sink += XXH3_128bits_digest(s).low64;
        XXH3_freeState(s);
    };
    auto sha256 = [&](const std::vector<unsigned char>& bytes) {
        EVP_MD_CTX* context = EVP_MD_CTX_new();
        EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
        for (std::size_t at = 0; at < bytes.size(); at += kChunk)
            EVP_DigestUpdate(context, bytes.data() + at, kChunk);
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned length = 0;
        EVP_DigestFinal_ex(context, digest, &length);
        sink += digest[0];
        EVP_MD_CTX_free(context);
    };
    xxh3(data);  // warm-up: pages faulted in, caches warm
    sha256(data);
    std::printf("xxh3-128 (SSE2 only)\t%zu\t%.4f\n", mib * passes, seconds_for(data, passes, xxh3));
    std::printf("xxh3-128 (AVX2 dispatcher, as backupd)\t%zu\t%.4f\n", mib * passes,
                seconds_for(data, passes, xxh3_dispatch));
    std::printf("sha-256\t%zu\t%.4f\n", mib * passes, seconds_for(data, passes, sha256));
    std::fprintf(stderr, "(checksum %llu)\n", sink);
}
