#include "backupd/copy/restore_tree.hpp"

#include <cerrno>
#include <map>
#include <stop_token>
#include <string>
#include <system_error>
#include <vector>

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "backupd/core/error.hpp"
#include "copy_tree_fixtures.hpp"
#include "fault_filesystem.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using backupd::core::ErrorCode;
using backupd::core::Overwrite;
using backupd::test::copy_tree_fixtures::diff_trees;
using backupd::testing::FaultFilesystem;
using Call = FaultFilesystem::Call;

namespace {

constexpr timespec kTime{1'700'000'000, 123'456'789};
constexpr timespec kOtherTime{1'600'000'000, 987'654'321};

// A snapshot (a.txt, sub/b.bin, sub/deep/c.txt, empty/, link -> sub/b.bin, all with their own
// modes and nanosecond times) and a restore target, side by side.
struct RestoreFixture {
    TempTree temp;
    fs::path snapshot = temp / "snapshot";
    fs::path target = temp / "target";

    RestoreFixture() {
        fs::create_directories(snapshot / "sub" / "deep");
        fs::create_directories(snapshot / "empty");
        fs::create_directories(target);
        write_file(snapshot / "a.txt", "alpha");
        write_file(snapshot / "sub" / "b.bin", std::string(100'000, 'b'));
        write_file(snapshot / "sub" / "deep" / "c.txt", "gamma");
        fs::create_symlink("sub/b.bin", snapshot / "link");
        set_mode(snapshot / "a.txt", 0640);
        set_mode(snapshot / "sub" / "b.bin", 0600);
        set_mode(snapshot / "sub", 0750);
        set_mode(snapshot / "empty", 0500);
        for (const char* path :
             {"a.txt", "sub/b.bin", "sub/deep/c.txt", "link", "sub/deep", "sub", "empty", ""}) {
            set_times(snapshot / path, kOtherTime, kTime);
        }
    }

    RestoreResult restore(const std::vector<std::string>& paths, const RestoreOptions& options = {},
                          const Filesystem& filesystem = system_filesystem()) const {
        const auto from = open_directory(snapshot);
        const auto to = open_directory(target);
        return restore_tree(from.get(), paths, to.get(), options, filesystem);
    }

    RestoreResult restore(const std::vector<std::string>& paths, Overwrite overwrite) const {
        RestoreOptions options;
        options.overwrite = overwrite;
        return restore(paths, options);
    }
};

RestoreOptions with(Overwrite overwrite) {
    RestoreOptions options;
    options.overwrite = overwrite;
    return options;
}

// Every entry under `root` whose name starts with the restore's temporary prefix.
std::vector<fs::path> temporary_files(const fs::path& root) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.path().filename().string().starts_with(".backupd-restore-"))
            found.push_back(entry.path());
    }
    return found;
}

bool same_metadata(const fs::path& a, const fs::path& b) {
    const struct stat x = lstat_of(a);
    const struct stat y = lstat_of(b);
    return x.st_mode == y.st_mode && same_time(x.st_mtim, y.st_mtim) && x.st_uid == y.st_uid &&
           x.st_gid == y.st_gid;
}

auto has_code(ErrorCode code) {
    return [code](const backupd::core::Error& e) { return e.code() == code; };
}

// Counts every call that would write to the target.
struct WriteCounter {
    FaultFilesystem filesystem;
    WriteCounter() {
        filesystem.before = [this](Call call, const fs::path&) {
            if (call != Call::open_to_read) ++writes;
            return 0;
        };
    }
    int writes = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(restore_tree_contents)

BOOST_FIXTURE_TEST_CASE(a_whole_snapshot_comes_back_with_contents_modes_times_and_links,
                        RestoreFixture) {
    const RestoreResult result = restore({});

    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(diff_trees(snapshot, target) == 0);
    for (const char* path :
         {"a.txt", "sub/b.bin", "sub/deep/c.txt", "link", "sub/deep", "sub", "empty", ""}) {
        BOOST_TEST_INFO(path);
        BOOST_TEST(same_metadata(snapshot / path, target / path));
    }
    BOOST_TEST(fs::is_symlink(target / "link"));
    BOOST_TEST(fs::read_symlink(target / "link") == "sub/b.bin");
    BOOST_TEST(fs::is_empty(target / "empty"));
    BOOST_TEST(result.progress.files_copied == 3);
    BOOST_TEST(result.progress.bytes_copied == 100'010);
    BOOST_TEST(result.progress.files_total.value_or(-1) == 3);
    BOOST_TEST(result.progress.bytes_total.value_or(-1) == 100'010);
    BOOST_TEST(temporary_files(target).empty());
}

BOOST_FIXTURE_TEST_CASE(chosen_paths_come_back_under_their_own_names_and_nothing_else,
                        RestoreFixture) {
    const RestoreResult result = restore({"sub/deep", "a.txt"});

    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(read_file(target / "a.txt") == "alpha");
    BOOST_TEST(diff_trees(snapshot / "sub" / "deep", target / "sub" / "deep") == 0);
    BOOST_TEST(same_metadata(snapshot / "sub" / "deep", target / "sub" / "deep"));
    BOOST_TEST(!exists_no_follow(target / "sub" / "b.bin"));
    BOOST_TEST(!exists_no_follow(target / "link"));
    BOOST_TEST(!exists_no_follow(target / "empty"));
    // "sub", created on the way, has its snapshot mode; the existing top is left as it was.
    BOOST_TEST((lstat_of(target / "sub").st_mode & 07777) == 0750u);
    BOOST_TEST(!same_time(lstat_of(target).st_mtim, kTime));
    BOOST_TEST(result.progress.files_copied == 2);
}

BOOST_FIXTURE_TEST_CASE(a_symbolic_link_named_as_a_path_is_restored_as_a_link, RestoreFixture) {
    const RestoreResult result = restore({"link"});

    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(fs::is_symlink(target / "link"));
    BOOST_TEST(fs::read_symlink(target / "link") == "sub/b.bin");
    BOOST_TEST(same_time(lstat_of(target / "link").st_mtim, kTime));
    BOOST_TEST(!exists_no_follow(target / "sub"));
}

BOOST_FIXTURE_TEST_CASE(overlapping_paths_restore_each_entry_once, RestoreFixture) {
    const RestoreResult result = restore({"sub", "sub/b.bin", "sub"});

    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(result.progress.files_copied == 2);
    BOOST_TEST(diff_trees(snapshot / "sub", target / "sub") == 0);
}

BOOST_FIXTURE_TEST_CASE(owners_are_restored_when_running_as_root, RestoreFixture) {
    if (::geteuid() != 0) return;  // only root may give files away
    BOOST_TEST_REQUIRE(::lchown((snapshot / "a.txt").c_str(), kNobodyUid, kNobodyGid) == 0);
    BOOST_TEST_REQUIRE(::lchown((snapshot / "link").c_str(), kNobodyUid, kNobodyGid) == 0);

    restore({});

    BOOST_TEST(lstat_of(target / "a.txt").st_uid == kNobodyUid);
    BOOST_TEST(lstat_of(target / "link").st_gid == kNobodyGid);
    BOOST_TEST(lstat_of(target / "sub" / "b.bin").st_uid == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(restore_tree_overwrite)

BOOST_FIXTURE_TEST_CASE(never_reports_the_first_existing_file_before_writing_anything,
                        RestoreFixture) {
    fs::create_directories(target / "sub" / "deep");
    write_file(target / "sub" / "deep" / "c.txt", "mine");
    WriteCounter counter;

    const auto from = open_directory(snapshot);
    const auto to = open_directory(target);
    const RestoreResult result =
        restore_tree(from.get(), {}, to.get(), with(Overwrite::never), counter.filesystem);

    BOOST_TEST((result.status == RestoreStatus::conflict));
    BOOST_TEST(result.conflict.value_or("") == "sub/deep/c.txt");
    BOOST_TEST(counter.writes == 0);
    BOOST_TEST(read_file(target / "sub" / "deep" / "c.txt") == "mine");
    // a.txt comes first in the plan, yet was not written.
    BOOST_TEST(!exists_no_follow(target / "a.txt"));
    BOOST_TEST(!exists_no_follow(target / "sub" / "b.bin"));
}

BOOST_FIXTURE_TEST_CASE(never_does_not_replace_a_file_that_appears_after_the_check,
                        RestoreFixture) {
    FaultFilesystem filesystem;
    const fs::path intruder = fs::canonical(target) / "a.txt";
    filesystem.before = [&intruder](Call call, const fs::path& path) {
        if (call == Call::create_file && path.parent_path() == intruder.parent_path() &&
            !exists_no_follow(intruder)) {
            write_file(intruder, "intruder");
        }
        return 0;
    };

    BOOST_CHECK_EXCEPTION(restore({"a.txt"}, with(Overwrite::never), filesystem), std::system_error,
                          [](const std::system_error& e) { return e.code().value() == EEXIST; });

    BOOST_TEST(read_file(intruder) == "intruder");
    BOOST_TEST(temporary_files(target).empty());
}

BOOST_FIXTURE_TEST_CASE(never_merges_into_directories_that_exist, RestoreFixture) {
    fs::create_directories(target / "sub");
    write_file(target / "sub" / "own.txt", "own");

    const RestoreResult result = restore({}, Overwrite::never);

    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(read_file(target / "sub" / "b.bin") == read_file(snapshot / "sub" / "b.bin"));
    BOOST_TEST(read_file(target / "sub" / "own.txt") == "own");
}

BOOST_FIXTURE_TEST_CASE(if_changed_skips_equal_files_and_replaces_changed_ones, RestoreFixture) {
    restore({});
    write_file(target / "a.txt", "changed contents");             // size and mtime differ
    set_times(target / "sub" / "b.bin", kOtherTime, kOtherTime);  // only the mtime differs
    set_mode(target / "sub" / "deep", 0700);                      // a directory's metadata
    const ino_t untouched = lstat_of(target / "sub" / "deep" / "c.txt").st_ino;

    const RestoreResult result = restore({}, Overwrite::if_changed);

    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(result.progress.files_copied == 2);
    BOOST_TEST(result.progress.files_skipped == 1);
    BOOST_TEST(lstat_of(target / "sub" / "deep" / "c.txt").st_ino == untouched);
    BOOST_TEST(read_file(target / "a.txt") == "alpha");
    BOOST_TEST(same_metadata(snapshot / "sub" / "b.bin", target / "sub" / "b.bin"));
    BOOST_TEST(same_metadata(snapshot / "sub" / "deep", target / "sub" / "deep"));
    BOOST_TEST(diff_trees(snapshot, target) == 0);
}

BOOST_FIXTURE_TEST_CASE(if_changed_replaces_a_file_whose_mode_alone_differs, RestoreFixture) {
    restore({"a.txt"});
    set_mode(target / "a.txt", 0666);

    const RestoreResult result = restore({"a.txt"}, Overwrite::if_changed);

    BOOST_TEST(result.progress.files_copied == 1);
    BOOST_TEST((lstat_of(target / "a.txt").st_mode & 07777) == 0640u);
}

BOOST_FIXTURE_TEST_CASE(always_replaces_every_file_and_keeps_files_only_the_target_has,
                        RestoreFixture) {
    restore({});
    write_file(target / "extra.txt", "mine");
    const ino_t before = lstat_of(target / "sub" / "deep" / "c.txt").st_ino;

    const RestoreResult result = restore({}, Overwrite::always);

    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(result.progress.files_copied == 3);
    BOOST_TEST(lstat_of(target / "sub" / "deep" / "c.txt").st_ino != before);
    BOOST_TEST(read_file(target / "extra.txt") == "mine");
    BOOST_TEST(temporary_files(target).empty());
}

BOOST_FIXTURE_TEST_CASE(a_directory_at_the_target_is_never_replaced_by_a_file, RestoreFixture) {
    fs::create_directories(target / "a.txt");
    write_file(target / "a.txt" / "inside", "keep me");

    for (const Overwrite overwrite : {Overwrite::never, Overwrite::if_changed, Overwrite::always}) {
        const RestoreResult result = restore({}, overwrite);
        BOOST_TEST((result.status == RestoreStatus::conflict));
        BOOST_TEST(result.conflict.value_or("") == "a.txt");
    }
    BOOST_TEST(read_file(target / "a.txt" / "inside") == "keep me");
    BOOST_TEST(!exists_no_follow(target / "sub"));
}

BOOST_FIXTURE_TEST_CASE(a_file_or_link_where_the_snapshot_has_a_directory_gives_way_unless_never,
                        RestoreFixture) {
    write_file(target / "sub", "a file");
    fs::create_symlink("/", target / "empty");

    const RestoreResult refused = restore({}, Overwrite::never);
    BOOST_TEST((refused.status == RestoreStatus::conflict));
    BOOST_TEST(refused.conflict.value_or("") == "empty");

    const RestoreResult result = restore({}, Overwrite::always);
    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(diff_trees(snapshot, target) == 0);
    BOOST_TEST(!fs::is_symlink(target / "empty"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(restore_tree_refusals)

BOOST_FIXTURE_TEST_CASE(a_path_through_a_symbolic_link_in_the_snapshot_is_refused, RestoreFixture) {
    fs::create_directory_symlink("sub", snapshot / "alias");

    BOOST_CHECK_EXCEPTION(restore({"a.txt", "alias/b.bin"}), backupd::core::Error,
                          has_code(ErrorCode::symlink_in_path));
    BOOST_CHECK_EXCEPTION(restore({"alias/deep/c.txt"}), backupd::core::Error,
                          has_code(ErrorCode::symlink_in_path));
    BOOST_TEST(fs::is_empty(target));
}

BOOST_FIXTURE_TEST_CASE(a_missing_path_is_not_found_and_nothing_is_written, RestoreFixture) {
    BOOST_CHECK_EXCEPTION(restore({"a.txt", "sub/nope"}), backupd::core::Error,
                          has_code(ErrorCode::not_found));
    BOOST_CHECK_EXCEPTION(restore({"a.txt/below"}), backupd::core::Error,
                          has_code(ErrorCode::not_found));
    BOOST_TEST(fs::is_empty(target));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(restore_tree_interruptions)

BOOST_FIXTURE_TEST_CASE(a_write_failure_mid_file_leaves_neither_the_file_nor_a_temporary_one,
                        RestoreFixture) {
    // Over 8 MiB: written in two chunks, the second of which fails.
    write_file(snapshot / "sub" / "b.bin", std::string((8 << 20) + 1000, 'b'));
    FaultFilesystem filesystem;
    std::map<fs::path, int> writes;
    filesystem.before = [&writes](Call call, const fs::path& path) {
        return call == Call::write && ++writes[path] == 2 ? ENOSPC : 0;
    };

    BOOST_CHECK_EXCEPTION(restore({}, {}, filesystem), std::system_error,
                          [](const std::system_error& e) { return e.code().value() == ENOSPC; });

    BOOST_TEST(filesystem.faults() == 1);
    // a.txt was written whole, but its rename waited for the batch's flush: it goes too.
    BOOST_TEST(!exists_no_follow(target / "a.txt"));
    BOOST_TEST(!exists_no_follow(target / "sub" / "b.bin"));
    BOOST_TEST(temporary_files(target).empty());
}

BOOST_FIXTURE_TEST_CASE(no_entry_takes_its_final_name_before_its_data_is_flushed, RestoreFixture) {
    // Records the order of flushes and renames: every rename must follow a flush made after
    // the entry it renames was written.
    struct Recording : FaultFilesystem {
        mutable std::vector<std::string> calls;
        int sync_filesystem(int fd) const override {
            calls.emplace_back("sync");
            return FaultFilesystem::sync_filesystem(fd);
        }
        int rename(int from_directory, const char* from, int to_directory, const char* to,
                   unsigned flags) const override {
            calls.emplace_back(std::string("rename ") + to);
            return FaultFilesystem::rename(from_directory, from, to_directory, to, flags);
        }
    } filesystem;
    filesystem.before = [&filesystem](Call call, const fs::path& path) {
        if (call == Call::create_file || call == Call::make_link)
            filesystem.calls.push_back("write " + path.filename().string());
        return 0;
    };

    BOOST_TEST((restore({}, {}, filesystem).status == RestoreStatus::completed));

    std::size_t unflushed = 0;  // entries written since the last flush
    std::size_t renames = 0;
    for (const auto& call : filesystem.calls) {
        if (call == "sync") {
            unflushed = 0;
        } else if (call.starts_with("write ")) {
            ++unflushed;
        } else {
            ++renames;
            BOOST_TEST(unflushed == 0u, "renamed before its flush: " << call);
        }
    }
    BOOST_TEST(renames >= 3u);                      // a.txt, sub/b.bin, sub/deep/c.txt at least
    BOOST_TEST(filesystem.calls.back() == "sync");  // and the renames themselves are flushed
}

BOOST_FIXTURE_TEST_CASE(a_failure_to_rename_into_place_removes_the_temporary_file, RestoreFixture) {
    struct FailingRename : FaultFilesystem {
        int rename(int, const char*, int, const char*, unsigned) const override {
            errno = EIO;
            return -1;
        }
    } filesystem;

    BOOST_CHECK_EXCEPTION(restore({"a.txt", "link"}, {}, filesystem), std::system_error,
                          [](const std::system_error& e) { return e.code().value() == EIO; });

    BOOST_TEST(!exists_no_follow(target / "a.txt"));
    BOOST_TEST(temporary_files(target).empty());
}

BOOST_FIXTURE_TEST_CASE(a_stop_mid_file_ends_the_restore_without_a_half_file, RestoreFixture) {
    write_file(snapshot / "sub" / "b.bin", std::string((8 << 20) + 1000, 'b'));
    std::stop_source stop;
    RestoreOptions options;
    options.stop = stop.get_token();
    options.progress_interval = std::chrono::milliseconds(0);
    options.on_progress = [&stop](const CopyProgress& progress) {
        if (progress.bytes_copied >= (8 << 20)) stop.request_stop();  // b.bin's first chunk
    };

    const RestoreResult result = restore({}, options);

    BOOST_TEST((result.status == RestoreStatus::stopped));
    BOOST_TEST(result.progress.files_copied == 1);
    BOOST_TEST(read_file(target / "a.txt") == "alpha");
    BOOST_TEST(!exists_no_follow(target / "sub" / "b.bin"));
    BOOST_TEST(!exists_no_follow(target / "sub" / "deep" / "c.txt"));
    BOOST_TEST(temporary_files(target).empty());
}

BOOST_FIXTURE_TEST_CASE(a_resumed_restore_under_never_keeps_what_it_wrote_and_still_conflicts,
                        RestoreFixture) {
    // The first attempt stops after a.txt, as a crash would leave it.
    std::stop_source stop;
    RestoreOptions first;
    first.stop = stop.get_token();
    first.progress_interval = std::chrono::milliseconds(0);
    first.on_progress = [&stop](const CopyProgress& progress) {
        if (progress.files_copied >= 1) stop.request_stop();
    };
    BOOST_TEST((restore({}, first).status == RestoreStatus::stopped));
    BOOST_TEST(exists_no_follow(target / "a.txt"));

    // Without resume, never takes a.txt for a conflict.
    BOOST_TEST((restore({}, Overwrite::never).status == RestoreStatus::conflict));

    // A crash would also leave a temporary file behind.
    write_file(target / ".backupd-restore-999-1", "half");

    // Resumed, a.txt is left alone, the rest comes back and the leftover goes.
    RestoreOptions resumed = with(Overwrite::never);
    resumed.resume = true;
    const RestoreResult result = restore({}, resumed);
    BOOST_TEST((result.status == RestoreStatus::completed));
    BOOST_TEST(result.progress.files_skipped >= 1);
    BOOST_TEST(read_file(target / "sub" / "b.bin") == read_file(snapshot / "sub" / "b.bin"));
    BOOST_TEST(temporary_files(target).empty());

    // A file that differs from the snapshot's is still a conflict, resumed or not.
    write_file(target / "a.txt", "changed");
    BOOST_TEST((restore({}, resumed).status == RestoreStatus::conflict));
    BOOST_TEST(read_file(target / "a.txt") == "changed");
}

BOOST_FIXTURE_TEST_CASE(progress_is_reported_with_its_totals, RestoreFixture) {
    std::vector<CopyProgress> reports;
    RestoreOptions options;
    options.on_progress = [&reports](const CopyProgress& progress) { reports.push_back(progress); };

    restore({}, options);

    BOOST_TEST_REQUIRE(reports.size() >= 2u);
    BOOST_TEST(reports.front().files_total.value_or(-1) == 3);
    BOOST_TEST(reports.front().files_copied == 0);
    BOOST_TEST(reports.back().files_copied == 3);
    BOOST_TEST(reports.back().bytes_copied == 100'010);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(restore_target)

BOOST_AUTO_TEST_CASE(missing_directories_are_created_and_existing_ones_opened) {
    TempTree temp;
    const auto root = open_directory(temp.path());

    const UniqueFd created = open_restore_target(root.get(), "photos/20261124T140523Z-17");
    write_file(temp / "photos" / "20261124T140523Z-17" / "probe", "x");
    const UniqueFd again = open_restore_target(root.get(), "photos/20261124T140523Z-17");

    BOOST_TEST(static_cast<bool>(created));
    struct stat a {
    }, b{};
    BOOST_TEST_REQUIRE(::fstat(created.get(), &a) == 0);
    BOOST_TEST_REQUIRE(::fstat(again.get(), &b) == 0);
    BOOST_TEST(a.st_ino == b.st_ino);
    BOOST_TEST(fs::exists(temp / "photos" / "20261124T140523Z-17" / "probe"));
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_on_the_way_is_refused_and_nothing_is_made_beyond_it) {
    TempTree temp;
    fs::create_directories(temp / "elsewhere");
    fs::create_directories(temp / "root");
    fs::create_directory_symlink(temp / "elsewhere", temp / "root" / "escape");
    const auto root = open_directory(temp / "root");

    BOOST_CHECK_EXCEPTION(open_restore_target(root.get(), "escape/inside"), backupd::core::Error,
                          has_code(ErrorCode::symlink_in_path));
    BOOST_CHECK_EXCEPTION(open_restore_target(root.get(), "escape"), backupd::core::Error,
                          has_code(ErrorCode::symlink_in_path));
    BOOST_TEST(fs::is_empty(temp / "elsewhere"));
}

BOOST_AUTO_TEST_SUITE_END()
