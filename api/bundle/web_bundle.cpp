#include "web_bundle.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

#include <zlib.h>

#include <openssl/evp.h>

namespace backupd::api::bundle {
namespace {

constexpr std::string_view kIndex = "index.html";

bool is_js(std::string_view path) {
    return path.ends_with(".js") || path.ends_with(".mjs");
}

std::string_view directory_of(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash + 1);
}

std::string_view file_name_of(std::string_view path) {
    return path.substr(directory_of(path).size());
}

// A path as bundle() accepts it: relative, '/'-separated, no empty, "." or ".." segment.
bool is_plain(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.back() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto end = std::min(path.find('/', start), path.size());
        const auto segment = path.substr(start, end - start);
        if (segment.empty() || segment == "." || segment == "..") return false;
        start = end + 1;
    }
    return path.find('\\') == std::string_view::npos;
}

// Relative specifiers of static imports, re-exports and dynamic imports. Group 1: what comes
// before the quote, 2: the quote, 3: the specifier.
const std::regex& js_specifier() {
    static const std::regex pattern(R"((\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.\.?/[^'"\n]*)\2)");
    return pattern;
}

// src="X" and href="X", either quote. Group 1: up to the quote, 2: the quote, 3: the value.
const std::regex& html_reference() {
    static const std::regex pattern(R"((\s(?:src|href)\s*=\s*)(['"])([^'"]*)\2)",
                                    std::regex::icase);
    return pattern;
}

// `text` with each match of `pattern` whose group 3 `replace` maps to a non-empty string
// rewritten to group 1, the quote, the replacement, the quote.
template <typename Replace>
std::string rewrite_matches(std::string_view text, const std::regex& pattern, Replace replace) {
    std::string out;
    auto last = text.begin();
    for (std::cregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        const auto& match = *it;
        const std::string replacement = replace(match[3].str());
        if (replacement.empty()) continue;
        out.append(last, match[0].first);
        out.append(match[1].first, match[1].second);
        out.append(match[2].first, match[2].second);
        out.append(replacement);
        out.append(match[2].first, match[2].second);
        last = match[0].second;
    }
    out.append(last, text.end());
    return out;
}

std::string etag_of(std::string_view bytes) {
    return '"' + sha256_hex(bytes).substr(0, 16) + '"';
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

std::string hashed_path(std::string_view path, std::string_view hash) {
    const auto name = file_name_of(path);
    const auto dot = name.find('.');
    std::string out(directory_of(path));
    if (dot == std::string_view::npos || dot == 0)
        return out.append(name) + "." + std::string(hash);
    return out.append(name.substr(0, dot)).append(".").append(hash).append(name.substr(dot));
}

std::string content_type_for(std::string_view path) {
    static const std::map<std::string, std::string, std::less<>> kTypes = {
        {".css", "text/css; charset=utf-8"},
        {".html", "text/html; charset=utf-8"},
        {".ico", "image/x-icon"},
        {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".png", "image/png"},
        {".svg", "image/svg+xml; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".webp", "image/webp"},
        {".woff2", "font/woff2"},
    };
    const auto name = file_name_of(path);
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    const auto found = kTypes.find(name.substr(dot));
    return found == kTypes.end() ? "application/octet-stream" : found->second;
}

std::string resolve(std::string_view from, std::string_view reference) {
    if (reference.empty() || reference.front() == '/' ||
        reference.find_first_of(":?#") != std::string_view::npos) {
        return "";
    }
    std::vector<std::string> segments;
    const std::string joined = std::string(directory_of(from)) + std::string(reference);
    std::size_t start = 0;
    while (start <= joined.size()) {
        const auto end = std::min(joined.find('/', start), joined.size());
        const auto segment = std::string_view(joined).substr(start, end - start);
        start = end + 1;
        if (segment.empty() || segment == ".") continue;
        if (segment == "..") {
            if (segments.empty()) return "";
            segments.pop_back();
            continue;
        }
        segments.emplace_back(segment);
    }
    std::string out;
    for (const auto& segment : segments) out += (out.empty() ? "" : "/") + segment;
    return out;
}

std::vector<std::string> js_imports(std::string_view js, std::string_view path) {
    std::vector<std::string> out;
    for (std::cregex_iterator it(js.begin(), js.end(), js_specifier()), end; it != end; ++it) {
        const std::string resolved = resolve(path, (*it)[3].str());
        if (!resolved.empty()) out.push_back(resolved);
    }
    return out;
}

std::string rewrite_js_imports(std::string_view js, std::string_view path,
                               const std::map<std::string, std::string>& hashed) {
    return rewrite_matches(js, js_specifier(), [&](const std::string& specifier) {
        const auto found = hashed.find(resolve(path, specifier));
        if (found == hashed.end()) return std::string();
        // The same relative directory, the hashed file name: assets keep web/'s layout.
        return std::string(directory_of(specifier)) + std::string(file_name_of(found->second));
    });
}

std::string rewrite_html_references(std::string_view html,
                                    const std::map<std::string, std::string>& hashed) {
    return rewrite_matches(html, html_reference(), [&](const std::string& value) {
        const auto found = hashed.find(resolve(kIndex, value));
        return found == hashed.end() ? std::string() : "assets/" + found->second;
    });
}

std::string gzip(std::string_view bytes) {
    z_stream stream{};
    // 15 + 16: a gzip wrapper; zlib writes no name and time 0 in its header.
    if (deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("deflate failed");
    return out;
}

std::vector<BundledFile> bundle(std::vector<SourceFile> files) {
    std::map<std::string, std::string> bytes_of;
    for (auto& file : files) {
        if (!is_plain(file.path))
            throw std::invalid_argument("web/" + file.path + ": not a plain relative path");
        bytes_of[file.path] = std::move(file.bytes);
    }
    if (!bytes_of.contains(std::string(kIndex)))
        throw std::invalid_argument("web/ has no index.html");

    std::map<std::string, std::string> hashed;     // web path -> hashed web path
    std::map<std::string, std::string> rewritten;  // web path -> final bytes
    for (const auto& [path, bytes] : bytes_of) {
        if (path == kIndex || is_js(path)) continue;
        rewritten[path] = bytes;
        hashed[path] = hashed_path(path, sha256_hex(bytes).substr(0, kNameHashLength));
    }
    // Modules after the modules they import (depth first); a cycle cannot be hashed.
    std::set<std::string> visiting;
    auto visit = [&](auto& self, const std::string& path) -> void {
        if (hashed.contains(path)) return;
        if (!visiting.insert(path).second)
            throw std::invalid_argument("web/" + path + ": modules import each other in a cycle");
        for (const auto& imported : js_imports(bytes_of.at(path), path)) {
            if (!bytes_of.contains(imported))
                throw std::invalid_argument(std::string("web/")
                                                .append(path)
                                                .append(": imports web/")
                                                .append(imported)
                                                .append(", which does not exist"));
            if (is_js(imported)) self(self, imported);
        }
        std::string out = rewrite_js_imports(bytes_of.at(path), path, hashed);
        hashed[path] = hashed_path(path, sha256_hex(out).substr(0, kNameHashLength));
        rewritten[path] = std::move(out);
        visiting.erase(path);
    };
    for (const auto& [path, bytes] : bytes_of) {
        if (is_js(path)) visit(visit, path);
    }
    rewritten[std::string(kIndex)] =
        rewrite_html_references(bytes_of.at(std::string(kIndex)), hashed);

    std::vector<BundledFile> out;
    for (auto& [path, bytes] : rewritten) {
        BundledFile file;
        const bool index = path == kIndex;
        file.url_path = index ? "/" : "/assets/" + hashed.at(path);
        file.content_type = content_type_for(path);
        file.gzip = gzip(bytes);
        if (file.gzip.size() >= bytes.size()) file.gzip.clear();
        file.etag = etag_of(bytes);
        file.immutable = !index;
        file.bytes = std::move(bytes);
        out.push_back(std::move(file));
    }
    std::sort(out.begin(), out.end(),
              [](const BundledFile& a, const BundledFile& b) { return a.url_path < b.url_path; });
    return out;
}

}  // namespace backupd::api::bundle
