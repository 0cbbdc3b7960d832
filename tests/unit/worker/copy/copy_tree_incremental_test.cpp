// copy_tree with a previous snapshot: unchanged files are hard-linked, the rest copied.

#include <string>

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/copy_tree.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;

namespace {

// source/ is copied to first/, then (after the test changes it) to second/ against first/.
struct IncrementalFixture {
    TempTree temp;
    fs::path source = temp / "source";
    fs::path first = temp / "first";
    fs::path second = temp / "second";

    IncrementalFixture() {
        fs::create_directories(source / "dir");
        write_file(source / "same", "unchanged");
        write_file(source / "dir" / "same", "unchanged too");
        write_file(source / "empty", "");
        write_file(source / "edited", "old");
        write_file(source / "dir" / "chmodded", "mode changes");
        set_mode(source / "dir" / "chmodded", 0600);
        set_times(source / "edited", {1600000000, 0}, {1600000000, 1});
        fs::create_directory(first);
        fs::create_directory(second);
        const CopyResult result = copy(first, -1);
        BOOST_REQUIRE(result.progress.files_copied == 5);
    }

    CopyResult copy(const fs::path& target, int previous) const {
        const auto from = open_directory(source);
        const auto to = open_directory(target);
        return copy_tree(from.get(), to.get(), previous, {});
    }

    CopyResult copy_against_first() const {
        const auto previous = open_directory(first);
        return copy(second, previous.get());
    }

    static ino_t inode(const fs::path& path) { return lstat_of(path).st_ino; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(copy_tree_incremental)

BOOST_AUTO_TEST_CASE(unchanged_files_are_hard_linked_to_the_previous_copy) {
    IncrementalFixture f;

    const CopyResult result = f.copy_against_first();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_linked == 5);
    BOOST_TEST(result.progress.files_copied == 0);
    BOOST_TEST(result.progress.bytes_copied == 0);
    BOOST_TEST(result.progress.files_total.value_or(-1) == 5);
    for (const char* name : {"same", "dir/same", "empty", "edited", "dir/chmodded"}) {
        BOOST_TEST(f.inode(f.second / name) == f.inode(f.first / name), name);
        BOOST_TEST(read_file(f.second / name) == read_file(f.source / name), name);
    }
    // Linking into a directory must not leave it with a new mtime.
    BOOST_TEST(same_time(lstat_of(f.second / "dir").st_mtim, lstat_of(f.source / "dir").st_mtim));
}

BOOST_AUTO_TEST_CASE(a_file_with_new_content_and_mtime_is_copied_anew_and_the_old_copy_kept) {
    IncrementalFixture f;
    write_file(f.source / "edited", "new and longer");
    set_times(f.source / "edited", {1700000000, 0}, {1700000000, 2});

    const CopyResult result = f.copy_against_first();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_copied == 1);
    BOOST_TEST(result.progress.files_linked == 4);
    BOOST_TEST(result.progress.bytes_copied == 14);
    BOOST_TEST(f.inode(f.second / "edited") != f.inode(f.first / "edited"));
    BOOST_TEST(read_file(f.second / "edited") == "new and longer");
    BOOST_TEST(read_file(f.first / "edited") == "old");  // the earlier snapshot is untouched
    BOOST_TEST(same_time(lstat_of(f.second / "edited").st_mtim, {1700000000, 2}));
    BOOST_TEST(f.inode(f.second / "same") == f.inode(f.first / "same"));
}

BOOST_AUTO_TEST_CASE(a_file_whose_mtime_alone_changed_is_copied_anew) {
    IncrementalFixture f;
    set_times(f.source / "edited", {1600000000, 0}, {1600000000, 999});

    const CopyResult result = f.copy_against_first();

    BOOST_TEST(result.progress.files_copied == 1);
    BOOST_TEST(f.inode(f.second / "edited") != f.inode(f.first / "edited"));
    BOOST_TEST(lstat_of(f.second / "edited").st_mtim.tv_nsec == 999);
    BOOST_TEST(lstat_of(f.first / "edited").st_mtim.tv_nsec == 1);
}

BOOST_AUTO_TEST_CASE(a_file_whose_mode_changed_is_copied_anew) {
    IncrementalFixture f;
    set_mode(f.source / "dir" / "chmodded", 0640);

    const CopyResult result = f.copy_against_first();

    BOOST_TEST(result.progress.files_copied == 1);
    BOOST_TEST(result.progress.files_linked == 4);
    BOOST_TEST(f.inode(f.second / "dir" / "chmodded") != f.inode(f.first / "dir" / "chmodded"));
    BOOST_TEST((lstat_of(f.second / "dir" / "chmodded").st_mode & 07777) == 0640u);
    BOOST_TEST((lstat_of(f.first / "dir" / "chmodded").st_mode & 07777) == 0600u);
}

BOOST_AUTO_TEST_CASE(files_and_directories_new_since_the_previous_copy_are_copied) {
    IncrementalFixture f;
    fs::create_directories(f.source / "fresh" / "deeper");
    write_file(f.source / "fresh" / "deeper" / "file", "fresh");
    write_file(f.source / "dir" / "added", "added");

    const CopyResult result = f.copy_against_first();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_copied == 2);
    BOOST_TEST(result.progress.files_linked == 5);
    BOOST_TEST(read_file(f.second / "fresh" / "deeper" / "file") == "fresh");
    BOOST_TEST(read_file(f.second / "dir" / "added") == "added");
    BOOST_TEST(lstat_of(f.second / "dir" / "added").st_nlink == 1u);
}

BOOST_AUTO_TEST_CASE(a_previous_entry_that_is_not_a_regular_file_is_never_linked) {
    IncrementalFixture f;
    // Same name, but in the previous copy a directory stands where the file is now.
    fs::remove(f.first / "empty");
    fs::create_directory(f.first / "empty");

    const CopyResult result = f.copy_against_first();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_linked == 4);
    BOOST_TEST(fs::is_regular_file(f.second / "empty"));
}

BOOST_AUTO_TEST_SUITE_END()
