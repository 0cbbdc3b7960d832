#pragma once
// Manifest order over paths given as anything with size() and operator[] (internal): the copy
// engine sorts "<directory>/<name>" pairs without building the joined strings.

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace backupd::copy::detail {

// "<directory>/<name>", or either alone when the other is empty, read in place.
struct JoinedPath {
    std::string_view directory;
    std::string_view name;

    bool separated() const { return !directory.empty() && !name.empty(); }
    std::size_t size() const { return directory.size() + separated() + name.size(); }
    char operator[](std::size_t i) const {
        if (i < directory.size()) return directory[i];
        if (separated() && i == directory.size()) return '/';
        return name[i - directory.size() - separated()];
    }
    std::string str() const {
        std::string joined(directory);
        if (separated()) joined += '/';
        joined += name;
        return joined;
    }
};

// -1, 0 or 1 as `a` comes before, equals or comes after `b`: byte order with '/' first.
template <typename A, typename B>
int manifest_compare(const A& a, const B& b) {
    const std::size_t common = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < common; ++i) {
        const char x = a[i];
        const char y = b[i];
        if (x == y) continue;
        if (x == '/') return -1;
        if (y == '/') return 1;
        return static_cast<unsigned char>(x) < static_cast<unsigned char>(y) ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

}  // namespace backupd::copy::detail
