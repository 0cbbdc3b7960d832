#include "backupd/copy/manifest.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <system_error>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "content_digest.hpp"
#include "manifest_order.hpp"

namespace backupd::copy {
namespace {

constexpr std::size_t kBufferSize = 64 << 10;
constexpr std::string_view kHeader = "backupd-manifest 1 xxh3-128\n";
constexpr std::string_view kTrailerStart = "end\t";

bool needs_escape(unsigned char byte) {
    return byte < 0x20 || byte == 0x7f || byte == '%';
}

void append_escaped(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (!needs_escape(byte)) {
            out += c;
            continue;
        }
        out += '%';
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
    }
}

std::string unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7f) throw ManifestError("manifest: a raw control byte");
        if (byte != '%') {
            out += text[i];
            continue;
        }
        unsigned value = 0;
        if (i + 2 >= text.size()) throw ManifestError("manifest: a cut escape");
        const auto [end, error] =
            std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
        if (error != std::errc{} || end != text.data() + i + 3 || !needs_escape(value))
            throw ManifestError("manifest: a bad escape");
        out += static_cast<char>(value);
        i += 2;
    }
    return out;
}

std::string_view type_word(core::EntryType type) {
    switch (type) {
        case core::EntryType::file: return "file";
        case core::EntryType::dir: return "dir";
        case core::EntryType::symlink: return "symlink";
        case core::EntryType::other: return "other";
    }
    return "other";
}

core::EntryType parse_type(std::string_view word) {
    if (word == "file") return core::EntryType::file;
    if (word == "dir") return core::EntryType::dir;
    if (word == "symlink") return core::EntryType::symlink;
    if (word == "other") return core::EntryType::other;
    throw ManifestError("manifest: an unknown entry type");
}

template <typename Number>
Number parse_number(std::string_view text, int base = 10) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size())
        throw ManifestError("manifest: a bad number");
    return value;
}

// The `Count` tab-separated fields of one line (without its '\n'); no more, no fewer.
template <std::size_t Count>
std::array<std::string_view, Count> split_fields(std::string_view line) {
    std::array<std::string_view, Count> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i < Count; ++i) {
        const std::size_t tab = line.find('\t', start);
        if ((tab == std::string_view::npos) != (i + 1 == Count))
            throw ManifestError("manifest: a line with the wrong number of fields");
        fields[i] = line.substr(start, tab - start);
        start = tab + 1;
    }
    return fields;
}

template <typename Number>
void append_number(std::string& out, Number value, int base = 10) {
    char text[24];
    out.append(text, std::to_chars(text, text + sizeof text, value, base).ptr);
}

ManifestEntry parse_entry(std::string_view line) {
    const auto fields = split_fields<9>(line);
    ManifestEntry entry;
    entry.path = unescape(fields[0]);
    entry.type = parse_type(fields[1]);
    entry.size = parse_number<std::int64_t>(fields[2]);
    entry.mtime_ns = parse_number<std::int64_t>(fields[3]);
    entry.mode = parse_number<std::uint32_t>(fields[4], 8);
    entry.uid = parse_number<std::uint32_t>(fields[5]);
    entry.gid = parse_number<std::uint32_t>(fields[6]);
    entry.target = unescape(fields[7]);
    entry.digest = std::string(fields[8]);
    const bool is_file = entry.type == core::EntryType::file;
    if (is_file ? !detail::parse_hex(entry.digest) : !entry.digest.empty())
        throw ManifestError("manifest: a bad file digest");
    if (entry.type != core::EntryType::symlink && !entry.target.empty())
        throw ManifestError("manifest: a link target on something not a link");
    if (entry.size < 0 || entry.mode > 07777) throw ManifestError("manifest: a bad size or mode");
    return entry;
}

}  // namespace

std::string manifest_path(std::string_view snapshot_path) {
    return std::string(snapshot_path) + std::string(kManifestSuffix);
}

core::EntryType entry_type_of(unsigned mode) {
    return S_ISREG(mode)   ? core::EntryType::file
           : S_ISDIR(mode) ? core::EntryType::dir
           : S_ISLNK(mode) ? core::EntryType::symlink
                           : core::EntryType::other;
}

bool manifest_before(std::string_view a, std::string_view b) {
    return detail::manifest_compare(a, b) < 0;
}

struct ManifestWriter::State {
    int fd;
    const Filesystem* fs;
    detail::ContentDigest digest;
    std::string buffer;
    std::string previous_path;
    std::int64_t count = 0;

    void flush() {
        const char* data = buffer.data();
        std::size_t size = buffer.size();
        while (size > 0) {
            const ssize_t written = fs->write(fd, data, size);
            if (written < 0) {
                if (errno == EINTR) continue;
                throw std::system_error(errno, std::generic_category(), "writing the manifest");
            }
            data += written;
            size -= static_cast<std::size_t>(written);
        }
        buffer.clear();
    }

    // Appends hashed bytes (everything but the trailer).
    void append_hashed(std::size_t from) {
        digest.update(buffer.data() + from, buffer.size() - from);
        if (buffer.size() >= kBufferSize) flush();
    }
};

ManifestWriter::ManifestWriter(int fd, const Filesystem& filesystem)
    : state_(std::make_unique<State>(State{fd, &filesystem, {}, {}, {}, 0})) {
    state_->buffer.reserve(kBufferSize + 8192);
    state_->buffer += kHeader;
    state_->append_hashed(0);
}

ManifestWriter::~ManifestWriter() = default;

void ManifestWriter::add(const ManifestEntry& entry) {
    State& s = *state_;
    if (s.count > 0 && !manifest_before(s.previous_path, entry.path))
        throw std::logic_error("manifest entries out of order: " + entry.path);
    const std::size_t from = s.buffer.size();
    append_escaped(s.buffer, entry.path);
    s.buffer += '\t';
    s.buffer += type_word(entry.type);
    s.buffer += '\t';
    append_number(s.buffer, entry.size);
    s.buffer += '\t';
    append_number(s.buffer, entry.mtime_ns);
    s.buffer += '\t';
    append_number(s.buffer, entry.mode, 8);
    s.buffer += '\t';
    append_number(s.buffer, entry.uid);
    s.buffer += '\t';
    append_number(s.buffer, entry.gid);
    s.buffer += '\t';
    append_escaped(s.buffer, entry.target);
    s.buffer += '\t';
    s.buffer += entry.digest;
    s.buffer += '\n';
    s.append_hashed(from);
    s.previous_path = entry.path;
    ++s.count;
}

core::ManifestSummary ManifestWriter::finish() {
    State& s = *state_;
    const std::string digest = detail::to_hex(s.digest.finish());
    s.buffer += std::string(kTrailerStart) + std::to_string(s.count) + '\t' + digest + '\n';
    s.flush();
    return {std::string(kManifestAlgorithm), digest};
}

core::ManifestSummary read_manifest(int fd, const std::function<void(ManifestEntry&&)>& on_entry) {
    detail::ContentDigest digest;
    std::string pending;  // the start of a line whose end has not been read yet
    std::vector<char> chunk(kBufferSize);
    off_t offset = 0;
    bool header_seen = false;
    std::optional<std::string> trailer;
    std::string previous_path;
    std::int64_t count = 0;

    auto take_line = [&](std::string_view line) {  // without its '\n'
        if (trailer) throw ManifestError("manifest: bytes after the trailer");
        if (!header_seen) {
            if (std::string(line) + '\n' != kHeader)
                throw ManifestError("manifest: not a backupd manifest of version 1 (xxh3-128)");
            header_seen = true;
        } else if (line.substr(0, kTrailerStart.size()) == kTrailerStart) {
            trailer = std::string(line);
            return;
        } else {
            ManifestEntry entry = parse_entry(line);
            if (count > 0 && !manifest_before(previous_path, entry.path))
                throw ManifestError("manifest: entries out of order");
            previous_path = entry.path;
            ++count;
            on_entry(std::move(entry));
        }
        digest.update(line.data(), line.size());
        digest.update("\n", 1);
    };

    for (;;) {
        const ssize_t got = ::pread(fd, chunk.data(), chunk.size(), offset);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "reading the manifest");
        }
        if (got == 0) break;
        offset += got;
        std::string_view data(chunk.data(), static_cast<std::size_t>(got));
        for (;;) {
            const std::size_t newline = data.find('\n');
            if (newline == std::string_view::npos) {
                pending.append(data);
                if (pending.size() > (1u << 20)) throw ManifestError("manifest: a line too long");
                break;
            }
            if (pending.empty()) {
                take_line(data.substr(0, newline));
            } else {
                pending.append(data.substr(0, newline));
                take_line(pending);
                pending.clear();
            }
            data.remove_prefix(newline + 1);
        }
    }
    if (!pending.empty() || !trailer) throw ManifestError("manifest: truncated (no trailer)");
    const auto fields = split_fields<3>(*trailer);
    const std::string expected = detail::to_hex(digest.finish());
    if (parse_number<std::int64_t>(fields[1]) != count || fields[2] != expected) {
        throw ManifestError("manifest: its digest or entry count does not match its entries");
    }
    return {std::string(kManifestAlgorithm), expected};
}

std::optional<std::string> find_file_digest(int fd, std::string_view path) {
    // Entries come in manifest order: the search ends at the entry or just past where it would
    // be, without reading (and checking) the rest.
    struct Passed {};
    std::optional<std::string> found;
    try {
        read_manifest(fd, [&](ManifestEntry&& entry) {
            if (entry.path == path) {
                if (entry.type == core::EntryType::file) found = std::move(entry.digest);
                throw Passed{};
            }
            if (manifest_before(path, entry.path)) throw Passed{};
        });
    } catch (const Passed&) {
    }
    return found;
}

}  // namespace backupd::copy
