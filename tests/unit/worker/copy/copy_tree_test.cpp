#include "backupd/copy/copy_tree.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <boost/test/unit_test.hpp>

#include "copy_tree_fixtures.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using backupd::testing::FaultFilesystem;
using namespace std::string_literals;
using namespace backupd::test::copy_tree_fixtures;

BOOST_AUTO_TEST_SUITE(copy_tree_contents)

BOOST_AUTO_TEST_CASE(copies_a_tree_byte_for_byte_with_unusual_names_and_empty_entries) {
    CopyFixture f;
    fs::create_directories(f.source / "a b");
    fs::create_directories(f.source / kUnicodeName);
    fs::create_directories(f.source / "empty");
    fs::create_directories(f.source / "deep" / "1" / "2" / "3");
    fs::create_directories(f.source / "many");
    write_file(f.source / "a b" / "c d.txt", "hello with spaces");
    write_file(f.source / kUnicodeName / "photo \xE6\x97\xA5.jpg", "\xFF\xD8\xFF binary\0data"s);
    write_file(f.source / "deep" / "1" / "2" / "3" / "bottom", "deep");
    write_file(f.source / "zero", "");
    for (int i = 0; i < 300; ++i)  // more than one batch of files in one directory
        write_file(f.source / "many" / ("f" + std::to_string(i)), std::string(i, 'x'));
    fs::create_symlink("a b/c d.txt", f.source / "rel");

    const CopyResult result = f.copy();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_copied == 304);
    BOOST_TEST(result.progress.files_failed == 0);
    BOOST_TEST(diff_trees(f.source, f.target) == 0);
    BOOST_TEST(read_file(f.target / kUnicodeName / "photo \xE6\x97\xA5.jpg") ==
               read_file(f.source / kUnicodeName / "photo \xE6\x97\xA5.jpg"));
    BOOST_TEST(fs::is_directory(f.target / "empty"));
    BOOST_TEST(fs::is_empty(f.target / "empty"));
    BOOST_TEST(fs::is_regular_file(f.target / "zero"));
    BOOST_TEST(fs::file_size(f.target / "zero") == 0u);
    // The check itself notices a difference.
    write_file(f.target / "many" / "f7", "changed");
    BOOST_TEST(diff_trees(f.source, f.target) != 0);
}

BOOST_AUTO_TEST_CASE(files_keep_their_modes_and_nanosecond_times) {
    CopyFixture f;
    const std::pair<const char*, mode_t> files[] = {
        {"private", 0600}, {"script", 0755}, {"readonly", 0444}, {"setgid", 02755}};
    long nanoseconds = 123456789;
    for (const auto& [name, mode] : files) {
        write_file(f.source / name, name);
        set_mode(f.source / name, mode);
        set_times(f.source / name, {1600000000, 111111111}, {1700000000, ++nanoseconds});
    }

    BOOST_TEST((f.copy().status == CopyStatus::completed));

    for (const auto& [name, mode] : files) {
        const struct stat source = lstat_of(f.source / name);
        const struct stat copied = lstat_of(f.target / name);
        BOOST_TEST((copied.st_mode & 07777) == mode, name);
        BOOST_TEST(same_time(copied.st_mtim, source.st_mtim), name);
        BOOST_TEST(copied.st_mtim.tv_nsec != 0, name);
        BOOST_TEST(copied.st_atim.tv_sec == 1600000000, name);
        BOOST_TEST(copied.st_atim.tv_nsec == 111111111, name);
        BOOST_TEST(read_file(f.target / name) == name);
    }
}

BOOST_AUTO_TEST_CASE(directories_keep_their_modes_and_times_after_their_contents_are_written) {
    CopyFixture f;
    fs::create_directories(f.source / "full" / "inner");
    fs::create_directories(f.source / "empty");
    write_file(f.source / "full" / "file", "content");
    write_file(f.source / "full" / "inner" / "file", "content");
    fs::create_symlink("file", f.source / "full" / "link");
    const std::pair<std::string, mode_t> directories[] = {
        {"full/inner", 0711}, {"full", 0750}, {"empty", 0700}, {"", 0755}};  // deepest first
    long nanoseconds = 987654321;
    for (const auto& [name, mode] : directories) {
        set_mode(f.source / name, mode);
        set_times(f.source / name, {1500000000, 5}, {1650000000, --nanoseconds});
    }

    BOOST_TEST((f.copy().status == CopyStatus::completed));

    for (const auto& [name, mode] : directories) {
        const struct stat source = lstat_of(f.source / name);
        const struct stat copied = lstat_of(f.target / name);
        BOOST_TEST(S_ISDIR(copied.st_mode), "'" << name << "'");
        BOOST_TEST((copied.st_mode & 07777) == mode, "'" << name << "'");
        BOOST_TEST(same_time(copied.st_mtim, source.st_mtim), "'" << name << "'");
    }
}

BOOST_AUTO_TEST_CASE(a_read_only_source_directory_is_filled_before_its_mode_is_applied) {
    CopyFixture f;
    fs::create_directories(f.source / "locked" / "inner");
    write_file(f.source / "locked" / "a", "a");
    write_file(f.source / "locked" / "inner" / "b", "b");
    set_mode(f.source / "locked" / "inner", 0555);
    set_mode(f.source / "locked", 0555);
    RunAsNobody::chown_to_nobody(f.target);

    CopyResult result;
    {
        RunAsNobody nobody;  // as root, permissions would not be checked at all
        result = f.copy();
    }

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_copied == 2);
    BOOST_TEST(read_file(f.target / "locked" / "a") == "a");
    BOOST_TEST(read_file(f.target / "locked" / "inner" / "b") == "b");
    BOOST_TEST((lstat_of(f.target / "locked").st_mode & 07777) == 0555u);
    BOOST_TEST((lstat_of(f.target / "locked" / "inner").st_mode & 07777) == 0555u);
}

BOOST_AUTO_TEST_CASE(symbolic_links_keep_their_target_text_and_are_never_followed) {
    CopyFixture f;
    fs::create_directories(f.temp / "outside" / "dir");
    write_file(f.temp / "outside" / "secret", "must not be copied");
    write_file(f.temp / "outside" / "dir" / "x", "must not be copied either");
    fs::create_directory(f.source / "sub");
    write_file(f.source / "file", "12345");
    const std::pair<std::string, std::string> links[] = {
        {"absolute", (f.temp / "outside" / "secret").string()},
        {"absolute_dir", (f.temp / "outside" / "dir").string()},
        {"relative_out", "../outside/secret"},
        {"sub/relative_in", "../file"},
        {"dangling", "nowhere/at all"},
    };
    for (const auto& [name, text] : links) fs::create_symlink(text, f.source / name);
    set_times(f.source / "dangling", {1400000000, 1}, {1400000000, 424242});

    const CopyResult result = f.copy();

    BOOST_TEST((result.status == CopyStatus::completed));
    for (const auto& [name, text] : links) {
        BOOST_TEST(fs::is_symlink(f.target / name), name);
        BOOST_TEST(fs::read_symlink(f.target / name).string() == text, name);
    }
    BOOST_TEST(same_time(lstat_of(f.target / "dangling").st_mtim, {1400000000, 424242}));
    BOOST_TEST(result.progress.files_total.value_or(-1) == 1);  // "file" alone; links are not files
    BOOST_TEST(result.progress.bytes_total.value_or(-1) == 5);
    BOOST_TEST(count_regular_files(f.target) == 1);
    BOOST_TEST(read_file(f.temp / "outside" / "secret") == "must not be copied");
}

BOOST_AUTO_TEST_CASE(fifos_and_sockets_are_skipped_and_counted) {
    CopyFixture f;
    write_file(f.source / "plain", "plain");
    BOOST_REQUIRE(::mkfifo((f.source / "pipe").c_str(), 0644) == 0);
    const UniqueFd socket_fd(::socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socket_path = (f.source / "sock").string();
    BOOST_REQUIRE(socket_path.size() < sizeof address.sun_path);
    socket_path.copy(address.sun_path, socket_path.size());
    BOOST_REQUIRE(
        ::bind(socket_fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);

    const CopyResult result = f.copy();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_skipped == 2);
    BOOST_TEST(result.progress.files_copied == 1);
    BOOST_TEST(result.progress.files_failed == 0);
    BOOST_TEST(!exists_no_follow(f.target / "pipe"));
    BOOST_TEST(!exists_no_follow(f.target / "sock"));
    BOOST_TEST(read_file(f.target / "plain") == "plain");
}

BOOST_AUTO_TEST_CASE(a_file_larger_than_one_copy_chunk_arrives_intact) {
    CopyFixture f;
    std::string big(20 * 1024 * 1024 + 12345, '\0');  // crosses the 8 MiB chunks twice
    std::uint32_t state = 2463534242u;
    for (char& c : big) {
        state ^= state << 13, state ^= state >> 17, state ^= state << 5;
        c = static_cast<char>(state);
    }
    write_file(f.source / "big.bin", big);

    const CopyResult result = f.copy();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.bytes_copied == static_cast<std::int64_t>(big.size()));
    BOOST_TEST(fs::file_size(f.target / "big.bin") == big.size());
    BOOST_TEST((read_file(f.target / "big.bin") == big));
}

BOOST_AUTO_TEST_CASE(progress_reports_know_the_totals_first_and_end_with_them) {
    CopyFixture f;
    fs::create_directories(f.source / "a" / "b");
    fs::create_directories(f.source / "many");
    write_file(f.source / "ten", std::string(10, 't'));
    write_file(f.source / "a" / "empty", "");
    write_file(f.source / "a" / "b" / "big", std::string(5000, 'b'));
    for (int i = 0; i < 200; ++i) write_file(f.source / "many" / std::to_string(i), "1");
    std::mutex mutex;
    std::vector<CopyProgress> reports;
    CopyOptions options;
    options.on_progress = [&](const CopyProgress& progress) {
        std::lock_guard lock(mutex);
        reports.push_back(progress);
    };

    const CopyResult result = f.copy(options);

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_REQUIRE(reports.size() >= 2u);
    BOOST_TEST(reports.front().files_total.value_or(-1) ==
               203);  // the walk reports before any copy
    BOOST_TEST(reports.front().files_copied == 0);
    const CopyProgress& last = reports.back();
    BOOST_TEST(last.files_copied == 203);
    BOOST_TEST(last.bytes_copied == 5210);
    BOOST_TEST(last.files_total.value_or(-1) == 203);
    BOOST_TEST(last.bytes_total.value_or(-1) == 5210);
    BOOST_TEST(last.files_linked == 0);
    BOOST_TEST(result.progress.files_copied == last.files_copied);
    BOOST_TEST(result.progress.bytes_total.value_or(-1) == last.bytes_total.value_or(-2));
}

BOOST_AUTO_TEST_SUITE_END()
