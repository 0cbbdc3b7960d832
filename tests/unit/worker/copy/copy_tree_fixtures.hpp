#pragma once
// Fixtures shared by the copy_tree tests: a source and a target directory side by side, and
// helpers to compare and count what arrived.

#include <cstdlib>
#include <string>

#include "backupd/copy/copy_tree.hpp"
#include "fault_filesystem.hpp"
#include "temp_tree.hpp"

namespace backupd::test::copy_tree_fixtures {

using namespace backupd::copy;
using backupd::testing::FaultFilesystem;

inline const std::string kUnicodeName =
    "fotos \xC3\xA9t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC";  // été 日本

// A source and a target directory side by side under one temp tree.
struct CopyFixture {
    TempTree temp;
    fs::path source = temp / "source";
    fs::path target = temp / "target";

    CopyFixture() {
        fs::create_directory(source);
        fs::create_directory(target);
    }

    CopyResult copy(const CopyOptions& options = {},
                    const Filesystem& filesystem = system_filesystem()) const {
        const auto from = open_directory(source);
        const auto to = open_directory(target);
        return copy_tree(from.get(), to.get(), -1, options, filesystem);
    }
};

// The exit status of `diff -r --no-dereference a b`: 0 when contents and link texts match.
inline int diff_trees(const fs::path& a, const fs::path& b) {
    const std::string command =
        "diff -r --no-dereference '" + a.string() + "' '" + b.string() + "' >/dev/null 2>&1";
    return std::system(command.c_str());
}

inline int count_regular_files(const fs::path& root) {
    int count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        count += entry.is_regular_file() && !entry.is_symlink();
    return count;
}

// "dir/victim" vanishes just before the engine opens it; two other files stay.
struct VanishingFixture : CopyFixture {
    FaultFilesystem filesystem;
    fs::path victim = fs::canonical(source) / "dir" / "victim";

    VanishingFixture() {
        fs::create_directory(source / "dir");
        write_file(victim, "gone soon");
        write_file(source / "dir" / "keep", "kept");
        write_file(source / "other", "other");
        filesystem.before = [this](FaultFilesystem::Call call, const fs::path& path) {
            if (call == FaultFilesystem::Call::open_to_read && path == victim) fs::remove(victim);
            return 0;
        };
    }
    CopyResult copy(const CopyOptions& options = {}) const {
        return CopyFixture::copy(options, filesystem);
    }
};

}  // namespace backupd::test::copy_tree_fixtures
