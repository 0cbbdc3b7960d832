#pragma once
// The dashboard's files, compiled into the binary from web/ at build time (api/bundle/,
// docs/design.md section 7 "Dashboard"). Thread-safety: constant data.

#include <span>
#include <string_view>

namespace backupd::api {

struct WebAsset {
    std::string_view path;          // "/" (index.html) or "/assets/<dir>/<stem>.<hash>.<ext>"
    std::string_view content_type;  // with a charset for text
    std::string_view etag;          // strong and quoted, of `identity`
    std::string_view identity;      // the bytes
    std::string_view gzip;          // the same, gzip-compressed; empty when that is not smaller
    bool immutable;                 // a hashed name: its bytes never change
};

// Every file of web/, sorted by path.
std::span<const WebAsset> embedded_web_assets();

}  // namespace backupd::api
