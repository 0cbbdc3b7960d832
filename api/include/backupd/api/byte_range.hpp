#pragma once
// The Range header of a download (RFC 9110 section 14): one byte range is served as 206, any
// other form (several ranges, another unit, a malformed or reversed range) is ignored and the
// whole body served, as the RFC allows. Pure, safe from any thread.

#include <cstdint>
#include <string_view>

namespace backupd::api {

struct ByteRange {
    enum class Kind { whole, partial, unsatisfiable };
    Kind kind = Kind::whole;
    std::int64_t first = 0;  // partial: the first and last byte served, inclusive
    std::int64_t last = 0;
};

// How to answer a body of `size` bytes to `header` ("" when the request has none): "bytes=a-b"
// (b past the end is cut to the end), "bytes=a-" and "bytes=-n" (the last n bytes). A range that
// starts at or past the end, or "-0", is unsatisfiable (416).
ByteRange read_byte_range(std::string_view header, std::int64_t size);

}  // namespace backupd::api
