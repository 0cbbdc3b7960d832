#pragma once
// The content digest of snapshot files (internal): XXH3-128, streamed. Chosen over SHA-256 by
// measurement (docs/benchmarks.md): it hashes at memory speed, so digesting while copying costs
// no visible time, and it detects rot; it does not resist deliberate tampering.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// XXH3_state_t on the stack needs the static-linking-only declarations.
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>
#if defined(__x86_64__)
#include <xxh_x86dispatch.h>  // AVX2 when present: see docs/benchmarks.md
#endif

namespace backupd::copy::detail {

inline constexpr std::string_view kDigestAlgorithm = "xxh3-128";

using Digest = std::array<std::uint8_t, 16>;

// One running XXH3-128. Not thread-safe; cheap to create (the state lives inline).
class ContentDigest {
public:
    ContentDigest() { XXH3_128bits_reset(&state_); }
    void update(const void* data, std::size_t size) {
#if defined(__x86_64__)
        XXH3_128bits_update_dispatch(&state_, data, size);
#else
        XXH3_128bits_update(&state_, data, size);
#endif
    }
    Digest finish() const;

private:
    XXH3_state_t state_;
};

// Lowercase hex, and back (nullopt unless exactly 32 lowercase hex digits).
std::string to_hex(const Digest& digest);
std::optional<Digest> parse_hex(std::string_view text);

}  // namespace backupd::copy::detail
