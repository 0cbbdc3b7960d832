#pragma once
// Decoding of request targets: the query of "/path?a=1&b=x%20y" into named parameters, and one
// %-encoded path segment (the {folder} of /backup/{folder}). Failures come back as a message fit
// for a 400 response; it quotes at most 64 characters of the input.
// Thread-safety: pure functions of their arguments, safe from any thread.

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace backupd::api {

// Decoded name -> decoded value. The comparator is transparent: find("from") needs no string.
using QueryParameters = std::map<std::string, std::string, std::less<>>;

struct QueryStringResult {
    QueryParameters parameters;  // empty when there is no query or on error
    std::string error;           // empty on success
    bool ok() const noexcept { return error.empty(); }
};

// Splits the part of `target` after the first '?' at '&', then each piece at its first '='.
// Names and values are %-decoded and '+' means a space. A piece without '=' is a name with an
// empty value; empty values are kept so the caller can say "from is empty"; empty pieces
// ("a=1&&b=2", a trailing '&') are skipped. Errors: a malformed %-escape ("%zz", "%4"), an
// encoded NUL (%00), a piece with an empty name ("=x"), and a name given twice, even when
// spelled differently ("from" and "fr%6Fm"): a demanding API answers 400 rather than pick one.
[[nodiscard]] QueryStringResult parse_query_string(std::string_view target);

struct PercentDecoded {
    std::string value;  // decoded text; empty on error
    std::string error;  // empty on success
    bool ok() const noexcept { return error.empty(); }
};

// Decodes one path segment: "%XX" (either case) becomes that byte; '+' stays '+', as in
// paths. Errors: a malformed escape and NUL, raw or encoded (%00), which no name may contain.
[[nodiscard]] PercentDecoded percent_decode(std::string_view text);

}  // namespace backupd::api
