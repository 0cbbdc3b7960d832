// Fuzz target: the request-target decoders (query string, path segment) and the parsers of
// the values clients put there: the date range of GET /api/v1/logs and the Range header of a
// download. Findings: a crash or sanitizer report, and results that break the documented
// contracts (an accepted range out of order or outside the file, a decoded NUL).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "backupd/api/byte_range.hpp"
#include "backupd/api/date_range.hpp"
#include "backupd/api/query_string.hpp"

namespace {

using namespace backupd;

[[noreturn]] void finding(const char* what, std::string_view input) {
    std::fprintf(stderr, "fuzz_query: %s: %.*s\n", what, static_cast<int>(input.size()),
                 input.data());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const api::QueryStringResult query = api::parse_query_string(text);
    if (!query.ok() && !query.parameters.empty()) finding("parameters despite an error", text);
    for (const auto& [name, value] : query.parameters) {
        if (name.empty()) finding("empty parameter name", text);
        if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
            finding("decoded NUL in a parameter", text);
    }
    const api::PercentDecoded segment = api::percent_decode(text);
    if (segment.ok() && segment.value.find('\0') != std::string::npos)
        finding("decoded NUL in a path segment", text);

    // The bounds as a query gives them, and the whole input as either bound.
    const auto bound = [&](std::string_view name) -> std::optional<std::string_view> {
        const auto found = query.parameters.find(name);
        if (found == query.parameters.end()) return std::nullopt;
        return found->second;
    };
    for (const api::DateRangeResult& range :
         {api::parse_date_range(bound("from"), bound("to")),
          api::parse_date_range(text, std::nullopt), api::parse_date_range(std::nullopt, text)}) {
        if (range.range &&
            (range.range->from > range.range->to || range.range->from < api::kEarliestBound ||
             range.range->to > api::kLatestBound)) {
            finding("date range out of order or out of bounds", text);
        }
    }

    // The Range header against a few body sizes, the last taken from the input.
    std::int64_t tail = 0;
    std::memcpy(&tail, data, std::min(size, sizeof tail));
    for (const std::int64_t body : {std::int64_t{0}, std::int64_t{1}, std::int64_t{10}, tail}) {
        if (body < 0) continue;
        const api::ByteRange range = api::read_byte_range(text, body);
        if (range.kind == api::ByteRange::Kind::partial &&
            (range.first < 0 || range.first > range.last || range.last >= body)) {
            finding("byte range outside the body", text);
        }
    }
    return 0;
}
