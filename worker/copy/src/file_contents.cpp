#include "file_contents.hpp"

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>

#include <unistd.h>

namespace backupd::copy::detail {
namespace {

constexpr std::size_t kChunk = 8 << 20;
constexpr std::size_t kBufferSize = 256 << 10;
constexpr std::size_t kHashBufferSize = 1 << 20;

// Errors that belong to the target side: they fail the whole copy, not one file.
bool is_target_error(int error) {
    return error == ENOSPC || error == EDQUOT || error == EFBIG || error == EROFS;
}

[[noreturn]] void throw_write_error(int error) {
    throw std::system_error(error, std::generic_category(), "writing the snapshot");
}

void write_all(const Filesystem& fs, int out, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = fs.write(out, data, size);
        if (written < 0) {
            if (errno == EINTR) continue;
            throw_write_error(errno);
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
}

ContentsResult read_write(const Filesystem& fs, int in, int out, std::int64_t expected_size,
                          const std::stop_token& stop,
                          const std::function<void(std::int64_t)>& on_bytes, ContentsResult result,
                          ContentDigest* digest = nullptr) {
    thread_local std::unique_ptr<char[]> buffer(new char[kBufferSize]);
    while (result.bytes < expected_size) {
        if (stop.stop_requested()) return {ContentsResult::Status::stopped, result.bytes, 0};
        const auto wanted = std::min<std::int64_t>(kBufferSize, expected_size - result.bytes);
        const ssize_t got = fs.read(in, buffer.get(), static_cast<std::size_t>(wanted));
        if (got < 0) {
            if (errno == EINTR) continue;
            return {ContentsResult::Status::read_failed, result.bytes, errno};
        }
        if (got == 0) return result;
        if (digest != nullptr) digest->update(buffer.get(), static_cast<std::size_t>(got));
        write_all(fs, out, buffer.get(), static_cast<std::size_t>(got));
        result.bytes += got;
        on_bytes(got);
    }
    return result;
}

}  // namespace

ContentsResult copy_contents(const Filesystem& fs, int in, int out, std::int64_t expected_size,
                             const std::stop_token& stop,
                             const std::function<void(std::int64_t)>& on_bytes,
                             ContentDigest* digest) {
    ContentsResult result;
    if (digest != nullptr)
        return read_write(fs, in, out, expected_size, stop, on_bytes, result, digest);
    while (result.bytes < expected_size) {
        if (stop.stop_requested()) return {ContentsResult::Status::stopped, result.bytes, 0};
        const auto wanted = std::min<std::int64_t>(kChunk, expected_size - result.bytes);
        const ssize_t moved = fs.copy_range(in, out, static_cast<std::size_t>(wanted));
        if (moved > 0) {
            result.bytes += moved;
            on_bytes(moved);
            continue;
        }
        if (moved == 0) {
            // Some file systems (procfs-like, some FUSE) answer 0 without copying: fall back to
            // reading, as coreutils does, rather than keep an empty copy of a non-empty file.
            if (result.bytes == 0)
                return read_write(fs, in, out, expected_size, stop, on_bytes, result);
            return result;  // the file shrank since its stat
        }
        const int error = errno;
        if (error == EINTR) continue;
        if (error == EXDEV || error == EINVAL || error == ENOSYS || error == EOPNOTSUPP ||
            error == EBADF) {
            return read_write(fs, in, out, expected_size, stop, on_bytes, result);  // same offsets
        }
        if (is_target_error(error)) throw_write_error(error);
        return {ContentsResult::Status::read_failed, result.bytes, error};
    }
    return result;
}

ContentsResult hash_contents(const Filesystem& fs, int in, const std::stop_token& stop,
                             const std::function<void(std::int64_t)>& on_bytes,
                             ContentDigest& digest) {
    thread_local std::unique_ptr<char[]> buffer(new char[kHashBufferSize]);
    ContentsResult result;
    for (;;) {
        if (stop.stop_requested()) return {ContentsResult::Status::stopped, result.bytes, 0};
        const ssize_t got = fs.read(in, buffer.get(), kHashBufferSize);
        if (got < 0) {
            if (errno == EINTR) continue;
            return {ContentsResult::Status::read_failed, result.bytes, errno};
        }
        if (got == 0) return result;
        digest.update(buffer.get(), static_cast<std::size_t>(got));
        result.bytes += got;
        if (on_bytes) on_bytes(got);
    }
}

}  // namespace backupd::copy::detail
