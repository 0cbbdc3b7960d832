#pragma once
// Copying the bytes of one open file to another (internal).

#include <cstdint>
#include <functional>
#include <stop_token>

#include "backupd/copy/filesystem.hpp"
#include "content_digest.hpp"

namespace backupd::copy::detail {

struct ContentsResult {
    enum class Status { done, stopped, read_failed } status = Status::done;
    std::int64_t bytes = 0;
    int error_number = 0;  // for read_failed
};

// Copies from the current offset of `in` to its end, or to `expected_size` bytes (the size
// the caller's fstat saw; the copy then matches that stat and skips one probe for the end),
// into `out`, with copy_file_range (the
// kernel moves the bytes, no user-space buffer), falling back to read/write with a 256 KiB
// per-thread buffer where the file systems do not support it. `on_bytes` hears each chunk
// (at most 8 MiB), between which `stop` is checked. Write failures throw std::system_error.
// Every call goes through `fs`.
// With a `digest`, the bytes are read once into user space, hashed, then written (no
// copy_file_range, which would hide them): the snapshot's digests cost no second read.
ContentsResult copy_contents(const Filesystem& fs, int in, int out, std::int64_t expected_size,
                             const std::stop_token& stop,
                             const std::function<void(std::int64_t)>& on_bytes,
                             ContentDigest* digest = nullptr);

// Reads `in` from its current offset to its end into `digest` (a 1 MiB per-thread buffer),
// checking `stop` between chunks; `on_bytes` (may be empty) hears each chunk. Never throws.
ContentsResult hash_contents(const Filesystem& fs, int in, const std::stop_token& stop,
                             const std::function<void(std::int64_t)>& on_bytes,
                             ContentDigest& digest);

}  // namespace backupd::copy::detail
