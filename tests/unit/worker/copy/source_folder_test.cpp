#include "backupd/copy/source_folder.hpp"

#include <filesystem>
#include <fstream>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

using namespace backupd::copy;
namespace fs = std::filesystem;

namespace {

// root/ holds: photos/sub/, a file, and symlinks pointing in, out and nowhere. outside/ sits
// next to root/ and must never be reachable.
struct SourceTree {
    fs::path base =
        fs::temp_directory_path() / ("backupd-source-" + std::to_string(std::random_device{}()));
    fs::path root = base / "root";
    UniqueFd root_fd;

    SourceTree() {
        fs::create_directories(root / "photos" / "sub");
        fs::create_directories(root / "a b" / "fotos-\xC3\xA9t\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC");
        fs::create_directories(base / "outside" / "secret");
        std::ofstream(root / "file.txt") << "x";
        fs::create_directory_symlink(base / "outside", root / "link_out");
        fs::create_directory_symlink("../outside", root / "relative_link_out");
        fs::create_directory_symlink("photos", root / "link_in");
        fs::create_directory_symlink("nowhere", root / "dangling");
        root_fd.reset(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }
    ~SourceTree() { fs::remove_all(base); }
};

// Opens with `open` and reports the error, or nullopt on success (checking the result is the
// intended directory by its inode).
template <typename Open>
std::optional<SourceFolderError> outcome(const SourceTree& tree, Open open,
                                         const std::string& name) {
    auto result = open(tree.root_fd.get(), name);
    if (auto* error = std::get_if<SourceFolderError>(&result)) return *error;
    struct stat opened {
    }, expected{};
    ::fstat(std::get<UniqueFd>(result).get(), &opened);
    ::stat((tree.root / name).c_str(), &expected);
    BOOST_TEST(opened.st_ino == expected.st_ino, "opened the wrong directory for " << name);
    return std::nullopt;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(source_folder)

BOOST_AUTO_TEST_CASE(opens_folders_beneath_the_root_and_rejects_every_escape) {
    SourceTree tree;
    using E = SourceFolderError;
    const std::pair<std::string, std::optional<E>> cases[] = {
        {"photos", std::nullopt},
        {"photos/sub", std::nullopt},
        {"a b/fotos-\xC3\xA9t\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC", std::nullopt},
        {"missing", E::no_such_directory},
        {"photos/missing", E::no_such_directory},
        {"file.txt", E::not_a_directory},
        {"file.txt/below", E::not_a_directory},
        {"link_out", E::leaves_source_root},           // absolute link out of the root
        {"relative_link_out", E::leaves_source_root},  // relative link out of the root
        {"link_out/secret", E::leaves_source_root},    // symlinked parent leading out
        {"link_in", E::symlink_in_path},               // a link inside is still not followed
        {"link_in/sub", E::symlink_in_path},           // symlinked parent inside the name
        {"dangling", E::symlink_in_path},
        {"../outside", E::invalid_name},
        {"/etc", E::invalid_name},
        {"photos/../../outside", E::invalid_name},
        {"", E::invalid_name},
    };
    for (const auto& [name, expected] : cases) {
        BOOST_TEST((outcome(tree, open_source_folder, name) == expected), "name: " << name);
    }
}

BOOST_AUTO_TEST_CASE(the_fallback_without_openat2_rejects_the_same_names) {
    SourceTree tree;
    using E = SourceFolderError;
    const std::pair<std::string, std::optional<E>> cases[] = {
        {"photos/sub", std::nullopt},
        {"missing", E::no_such_directory},
        {"file.txt", E::not_a_directory},
        {"link_out", E::symlink_in_path},
        {"link_out/secret", E::symlink_in_path},
        {"link_in/sub", E::symlink_in_path},
        {"dangling", E::symlink_in_path},
        {"../outside", E::invalid_name},
    };
    for (const auto& [name, expected] : cases) {
        BOOST_TEST((outcome(tree, open_source_folder_without_openat2, name) == expected),
                   "name: " << name);
    }
}

BOOST_AUTO_TEST_SUITE_END()
