#include "backupd/copy/backup_root_scan.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;

namespace {

// What the orphan collector would see, sorted by path.
struct Scanned {
    std::vector<std::string> staging;
    std::vector<std::string> snapshots;
    BackupRootContents contents;
};

Scanned scan(const fs::path& root) {
    Scanned out;
    out.contents = scan_backup_root(open_directory(root).get());
    for (const auto& found : out.contents.staging) out.staging.push_back(found.path);
    for (const auto& found : out.contents.snapshots) out.snapshots.push_back(found.path);
    std::sort(out.staging.begin(), out.staging.end());
    std::sort(out.snapshots.begin(), out.snapshots.end());
    return out;
}

using Paths = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(backup_root_scan)

BOOST_AUTO_TEST_CASE(finds_staging_directories_and_snapshots_of_nested_folders) {
    TempTree root;
    fs::create_directories(root / ".staging" / "42-1" / "partial");
    fs::create_directories(root / ".staging" / "7-3");
    fs::create_directories(root / ".staging" / "not-a-staging-name");
    fs::create_directories(root / "photos" / "20261124T140523Z-42");
    fs::create_directories(root / "a" / "20261124T140523Z-8");
    fs::create_directories(root / "a" / "b" / "c" / "20261124T140523Z-7" / "content");
    fs::create_directories(root / "a" / "b" / "c" / "20261125T000000Z-0");

    const Scanned found = scan(root.path());

    BOOST_TEST(found.staging == (Paths{".staging/42-1", ".staging/7-3"}),
               boost::test_tools::per_element());
    BOOST_TEST(found.snapshots == (Paths{"a/20261124T140523Z-8", "a/b/c/20261124T140523Z-7",
                                         "a/b/c/20261125T000000Z-0", "photos/20261124T140523Z-42"}),
               boost::test_tools::per_element());
    for (const auto& staging : found.contents.staging) {
        if (staging.path == ".staging/7-3") {
            BOOST_TEST(staging.name.job_id == 7);
            BOOST_TEST(staging.name.attempt == 3);
        }
    }
    for (const auto& snapshot : found.contents.snapshots) {
        if (snapshot.path == "photos/20261124T140523Z-42") BOOST_TEST(snapshot.name.job_id == 42);
    }
}

BOOST_AUTO_TEST_CASE(snapshots_are_not_descended_into) {
    TempTree root;
    // A backed-up folder may itself hold directories named like snapshots.
    fs::create_directories(root / "photos" / "20261124T140523Z-42" / "20250101T000000Z-1");
    fs::create_directories(root / "photos" / "20261124T140523Z-42" / "deeper" /
                           "20250101T000000Z-2");

    const Scanned found = scan(root.path());

    BOOST_TEST(found.snapshots == (Paths{"photos/20261124T140523Z-42"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(latest_links_files_and_symlinked_folders_are_ignored) {
    TempTree root;
    fs::create_directories(root / "photos" / "20261124T140523Z-42");
    fs::create_directory_symlink("20261124T140523Z-42", root / "photos" / "latest");
    fs::create_directory_symlink("20261124T140523Z-42", root / "photos" / "20261124T140524Z-43");
    fs::create_directory_symlink("photos", root / "linked");
    write_file(root / "photos" / "20261124T140525Z-44", "a file, not a snapshot");
    write_file(root / "stray.txt", "");

    const Scanned found = scan(root.path());

    BOOST_TEST(found.snapshots == (Paths{"photos/20261124T140523Z-42"}),
               boost::test_tools::per_element());
    BOOST_TEST(found.staging.empty());
}

BOOST_AUTO_TEST_CASE(a_top_level_directory_named_like_a_snapshot_is_a_folder_not_a_snapshot) {
    TempTree root;
    fs::create_directories(root / "20261124T140523Z-9");
    fs::create_directories(root / "20261124T140523Z-10" / "20270101T000000Z-11");
    fs::create_directories(root / "latest" / "20270101T000000Z-12");

    const Scanned found = scan(root.path());

    BOOST_TEST(found.snapshots ==
                   (Paths{"20261124T140523Z-10/20270101T000000Z-11", "latest/20270101T000000Z-12"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_manifest_goes_with_its_directory_and_is_found_alone_without_it) {
    TempTree root;
    fs::create_directories(root / ".staging" / "42-1");
    write_file(root / ".staging" / "42-1.manifest", "with its directory");
    write_file(root / ".staging" / "9-2.manifest", "alone");
    write_file(root / ".staging" / "junk.manifest", "not a staging name");
    fs::create_directories(root / "photos" / "20261124T140523Z-42");
    write_file(root / "photos" / "20261124T140523Z-42.manifest", "with its directory");
    write_file(root / "photos" / "20261124T140524Z-43.manifest", "alone");
    write_file(root / "photos" / "notes.manifest", "not a snapshot's");
    fs::create_directories(root / "a" / "b");
    write_file(root / "a" / "b" / "20261124T140523Z-0.manifest", "alone, nested");
    write_file(root / "20261124T140523Z-5.manifest", "the first level holds folders only");

    const Scanned found = scan(root.path());

    BOOST_TEST(found.staging == (Paths{".staging/42-1", ".staging/9-2"}),
               boost::test_tools::per_element());
    BOOST_TEST(found.snapshots == (Paths{"photos/20261124T140523Z-42"}),
               boost::test_tools::per_element());
    Paths alone;
    for (const auto& manifest : found.contents.lone_manifests) alone.push_back(manifest.path);
    std::sort(alone.begin(), alone.end());
    BOOST_TEST(alone == (Paths{"a/b/20261124T140523Z-0", "photos/20261124T140524Z-43"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_empty_root_holds_nothing) {
    TempTree root;

    const Scanned found = scan(root.path());

    BOOST_TEST(found.staging.empty());
    BOOST_TEST(found.snapshots.empty());
}

BOOST_AUTO_TEST_SUITE_END()
