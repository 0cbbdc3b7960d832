#pragma once
// The dashboard's build step, as plain functions (docs/design.md section 7, "Dashboard"): the
// files of web/ become what the daemon serves. Every file but the top-level index.html gets a
// content-hashed name (assets/<dir>/<stem>.<hash>.<ext>), and the references to them are
// rewritten: in index.html every src="X" / href="X" naming a web file, in .js files every
// relative import specifier (from './X.js', import './X.js', import('./X.js')). A file's hash is
// taken after its own references are rewritten, so changing one module changes the names of
// every module that imports it, and a cached page never mixes old and new modules.
// Used by the host tool embed_web (build time) and by the unit tests; no I/O here.
// Thread-safety: pure functions.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace backupd::api::bundle {

// One input file: its path relative to web/ ('/'-separated, no "." or ".." segments) and bytes.
struct SourceFile {
    std::string path;
    std::string bytes;
};

// One output file, ready to embed.
struct BundledFile {
    std::string url_path;      // "/" for index.html, else "/assets/<hashed path>"
    std::string content_type;  // with "; charset=utf-8" for text
    std::string bytes;         // after rewriting
    std::string gzip;          // gzip -9 of bytes (no name, no time), "" when not smaller
    std::string etag;          // strong, quoted: "\"<16 hex of SHA-256 of bytes>\""
    bool immutable = false;    // a hashed name: cache for a year
};

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Hex digits of the SHA-256 kept in a hashed name.
inline constexpr std::size_t kNameHashLength = 12;

// "lib/app.js" + "0123456789ab" -> "lib/app.0123456789ab.js"; no extension: "x" -> "x.<hash>".
std::string hashed_path(std::string_view path, std::string_view hash);

// The Content-Type for a file name, by extension; application/octet-stream when unknown.
std::string content_type_for(std::string_view path);

// `reference` (as written in the file at `from`) resolved against `from`'s directory to a path
// relative to web/, or "" when it is absolute, has a scheme, a query or fragment, or leaves web/.
std::string resolve(std::string_view from, std::string_view reference);

// The web paths a .js file at `path` imports through relative specifiers (resolved, in order).
std::vector<std::string> js_imports(std::string_view js, std::string_view path);

// `js` with each relative import specifier naming a key of `hashed` (web path -> hashed web
// path) replaced by the same specifier with the hashed file name: './api.js' -> './api.<h>.js'.
// Specifiers naming no key are left as they are.
std::string rewrite_js_imports(std::string_view js, std::string_view path,
                               const std::map<std::string, std::string>& hashed);

// `html` (the top-level index.html) with each src="X" / href="X" (either quote) naming a key of
// `hashed` replaced by "assets/<hashed path>". Others (absolute URLs, "#top") are left as they are.
std::string rewrite_html_references(std::string_view html,
                                    const std::map<std::string, std::string>& hashed);

// gzip (RFC 1952) at level 9 with no file name and time 0: the same input gives the same bytes.
std::string gzip(std::string_view bytes);

// The whole step. Throws std::invalid_argument naming the file when web/ has no index.html, a
// path is not plain, a .js file imports a relative module that is not there, or modules import
// each other in a cycle (the hashes could not be computed; split the shared part out).
// The result is sorted by url_path, whatever the order of `files`.
std::vector<BundledFile> bundle(std::vector<SourceFile> files);

}  // namespace backupd::api::bundle
