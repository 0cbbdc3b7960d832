#include "backupd/copy/snapshot_browser.hpp"

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "backupd/core/error.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using backupd::core::EntryType;
using backupd::core::ErrorCode;

namespace {

constexpr const char* kSnapshot = "photos/20261124T140523Z-17";
constexpr timespec kTime{1'700'000'000, 123'456'789};

// A backup root holding one snapshot: a.txt, sub/ (with b.bin and deep/), a link to sub/b.bin,
// a link to sub/ and a FIFO; `photos/latest` links to the snapshot.
struct BrowserFixture {
    TempTree temp;
    fs::path snapshot = temp / kSnapshot;
    BackupRoot root{open_directory(temp.path())};
    SnapshotBrowser browser{root};

    BrowserFixture() {
        fs::create_directories(snapshot / "sub" / "deep");
        write_file(snapshot / "a.txt", "0123456789");
        write_file(snapshot / "sub" / "b.bin", "bee");
        fs::create_symlink("sub/b.bin", snapshot / "link");
        fs::create_directory_symlink("sub", snapshot / "alias");
        BOOST_TEST_REQUIRE(::mkfifo((snapshot / "pipe").c_str(), 0600) == 0);
        set_mode(snapshot / "a.txt", 0640);
        set_times(snapshot / "a.txt", kTime, kTime);
        fs::create_directory_symlink("20261124T140523Z-17", temp / "photos" / "latest");
    }

    std::vector<std::string> names(const backupd::core::DirectoryPage& page) const {
        std::vector<std::string> result;
        for (const auto& entry : page.entries) result.push_back(entry.name);
        return result;
    }
};

auto has_code(ErrorCode code) {
    return [code](const backupd::core::Error& e) { return e.code() == code; };
}

std::string read_at(backupd::core::SnapshotFile& file, std::int64_t offset, std::size_t size) {
    std::string buffer(size, '\0');
    buffer.resize(file.read(offset, buffer));
    return buffer;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_browser)

BOOST_FIXTURE_TEST_CASE(a_snapshot_exists_while_its_directory_is_on_disk, BrowserFixture) {
    BOOST_TEST(browser.exists(kSnapshot));
    BOOST_TEST(!browser.exists("photos/20261124T140523Z-18"));
    BOOST_TEST(!browser.exists("photos/latest"));  // a link is never followed
    BOOST_TEST(!browser.exists(""));               // the backup root is no snapshot
    fs::remove_all(snapshot);
    BOOST_TEST(!browser.exists(kSnapshot));
}

BOOST_FIXTURE_TEST_CASE(a_listing_gives_each_entry_its_type_size_mode_time_and_link_target,
                        BrowserFixture) {
    const auto page = browser.list(kSnapshot, "", std::nullopt, 100);

    BOOST_TEST(names(page) == (std::vector<std::string>{"a.txt", "alias", "link", "pipe", "sub"}));
    BOOST_TEST(!page.next.has_value());
    const auto& file = page.entries[0];
    BOOST_TEST((file.type == EntryType::file));
    BOOST_TEST(file.size == 10);
    BOOST_TEST(file.mode == 0640u);
    BOOST_TEST(file.mtime.time_since_epoch().count() == 1'700'000'000'123'456);
    BOOST_TEST(!file.target.has_value());
    BOOST_TEST((page.entries[1].type == EntryType::symlink));
    BOOST_TEST(page.entries[1].target.value_or("") == "sub");
    BOOST_TEST(page.entries[2].target.value_or("") == "sub/b.bin");
    BOOST_TEST((page.entries[3].type == EntryType::other));
    BOOST_TEST((page.entries[4].type == EntryType::dir));

    const auto sub = browser.list(kSnapshot, "sub", std::nullopt, 100);
    BOOST_TEST(names(sub) == (std::vector<std::string>{"b.bin", "deep"}));
    BOOST_TEST(browser.list(kSnapshot, "sub/deep", std::nullopt, 100).entries.empty());
}

BOOST_FIXTURE_TEST_CASE(entries_are_sorted_by_name_in_byte_order, BrowserFixture) {
    const fs::path dir = snapshot / "names";
    fs::create_directory(dir);
    for (const char* name : {"\xC3\xA9t\xC3\xA9", "b", "B", "a", "A_", "a b"})
        write_file(dir / name, "");

    const auto page = browser.list(kSnapshot, "names", std::nullopt, 100);

    BOOST_TEST(names(page) ==
               (std::vector<std::string>{"A_", "B", "a", "a b", "b", "\xC3\xA9t\xC3\xA9"}));
}

BOOST_FIXTURE_TEST_CASE(pages_follow_one_another_through_the_cursor, BrowserFixture) {
    const fs::path dir = snapshot / "many";
    fs::create_directory(dir);
    for (int i = 0; i < 25; ++i) {
        char name[8];
        std::snprintf(name, sizeof name, "f%02d", i);
        write_file(dir / name, "");
    }

    const auto first = browser.list(kSnapshot, "many", std::nullopt, 10);
    BOOST_TEST(first.entries.size() == 10u);
    BOOST_TEST(first.entries.front().name == "f00");
    BOOST_TEST(first.next.value_or("") == "f09");

    const auto second = browser.list(kSnapshot, "many", first.next, 10);
    BOOST_TEST(second.entries.front().name == "f10");
    BOOST_TEST(second.next.value_or("") == "f19");

    const auto last = browser.list(kSnapshot, "many", second.next, 10);
    BOOST_TEST(names(last) == (std::vector<std::string>{"f20", "f21", "f22", "f23", "f24"}));
    BOOST_TEST(!last.next.has_value());

    // A page that ends exactly at the last entry says no more follow.
    const auto exact = browser.list(kSnapshot, "many", std::string("f14"), 10);
    BOOST_TEST(exact.entries.size() == 10u);
    BOOST_TEST(!exact.next.has_value());
    // A cursor need not be a name that exists.
    BOOST_TEST(browser.list(kSnapshot, "many", std::string("f135"), 1).entries.front().name ==
               "f14");
}

BOOST_FIXTURE_TEST_CASE(a_listing_through_a_symbolic_link_is_refused, BrowserFixture) {
    BOOST_CHECK_EXCEPTION(browser.list(kSnapshot, "alias", std::nullopt, 10), backupd::core::Error,
                          has_code(ErrorCode::symlink_in_path));
    BOOST_CHECK_EXCEPTION(browser.list(kSnapshot, "alias/deep", std::nullopt, 10),
                          backupd::core::Error, has_code(ErrorCode::symlink_in_path));
    BOOST_CHECK_EXCEPTION(browser.list("photos/latest", "", std::nullopt, 10), backupd::core::Error,
                          has_code(ErrorCode::not_found));
}

BOOST_FIXTURE_TEST_CASE(listing_a_file_or_a_missing_path_is_refused_with_its_reason,
                        BrowserFixture) {
    BOOST_CHECK_EXCEPTION(browser.list(kSnapshot, "a.txt", std::nullopt, 10), backupd::core::Error,
                          has_code(ErrorCode::not_a_directory));
    BOOST_CHECK_EXCEPTION(browser.list(kSnapshot, "nope", std::nullopt, 10), backupd::core::Error,
                          has_code(ErrorCode::not_found));
    BOOST_CHECK_EXCEPTION(browser.list(kSnapshot, "a.txt/below", std::nullopt, 10),
                          backupd::core::Error, has_code(ErrorCode::not_found));
    BOOST_CHECK_EXCEPTION(browser.list("photos/20261124T140523Z-18", "", std::nullopt, 10),
                          backupd::core::Error, has_code(ErrorCode::not_found));
}

BOOST_FIXTURE_TEST_CASE(an_opened_file_reads_from_any_offset, BrowserFixture) {
    auto opened = browser.open(kSnapshot, "a.txt");

    BOOST_TEST(opened.file->size() == 10);
    BOOST_TEST(read_at(*opened.file, 0, 4) == "0123");
    BOOST_TEST(read_at(*opened.file, 3, 4) == "3456");
    BOOST_TEST(read_at(*opened.file, 8, 4) == "89");
    BOOST_TEST(read_at(*opened.file, 10, 4).empty());
    BOOST_TEST(read_at(*browser.open(kSnapshot, "sub/b.bin").file, 0, 10) == "bee");
    BOOST_TEST(!opened.digest.has_value());  // this snapshot has no manifest
}

BOOST_FIXTURE_TEST_CASE(only_regular_files_open, BrowserFixture) {
    for (const char* path : {"sub", "link", "pipe", ""}) {
        BOOST_TEST_INFO(path);
        BOOST_CHECK_EXCEPTION(browser.open(kSnapshot, path), backupd::core::Error,
                              has_code(ErrorCode::not_a_file));
    }
    BOOST_CHECK_EXCEPTION(browser.open(kSnapshot, "nope.txt"), backupd::core::Error,
                          has_code(ErrorCode::not_found));
    BOOST_CHECK_EXCEPTION(browser.open(kSnapshot, "alias/b.bin"), backupd::core::Error,
                          has_code(ErrorCode::symlink_in_path));
    BOOST_CHECK_EXCEPTION(browser.open("photos/latest", "a.txt"), backupd::core::Error,
                          has_code(ErrorCode::not_found));
}

BOOST_AUTO_TEST_SUITE_END()
