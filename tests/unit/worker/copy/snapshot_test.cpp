#include "backupd/copy/snapshot.hpp"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/snapshot_layout.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using namespace std::chrono;

namespace {

const sys_seconds kTakenAt{sys_days{year{2026} / 11 / 24} + hours{14} + minutes{5} + seconds{23}};

// A source root holding photos/ (and the escapes of the rejected cases), and a backup root.
struct SnapshotFixture {
    TempTree temp;
    fs::path source = temp / "source";
    fs::path backup = temp / "backup";
    UniqueFd source_fd;
    std::optional<BackupRoot> root;

    SnapshotFixture() {
        fs::create_directories(source / "photos" / "sub");
        fs::create_directories(temp / "outside" / "secret");
        write_file(source / "photos" / "a.jpg", "picture a");
        write_file(source / "photos" / "sub" / "b.jpg", "picture b");
        write_file(source / "file.txt", "not a folder");
        fs::create_directory_symlink(temp / "outside", source / "link_out");
        fs::create_directory_symlink("photos", source / "link_in");
        source_fd = open_directory(source);
    }

    BackupRoot& backup_root() {
        if (!root) root.emplace(BackupRoot::open(backup.string()));
        return *root;
    }

    std::variant<StagedSnapshot, SourceFolderError> stage(const std::string& folder,
                                                          std::int64_t job_id = 42,
                                                          sys_seconds taken_at = kTakenAt,
                                                          const CopyOptions& options = {}) {
        return stage_snapshot(backup_root(), source_fd.get(),
                              SnapshotRequest{folder, job_id, 1, taken_at}, options);
    }

    // Stages and commits; returns the committed path.
    std::string snapshot(const std::string& folder, std::int64_t job_id = 42,
                         sys_seconds taken_at = kTakenAt) {
        auto staged = stage(folder, job_id, taken_at);
        BOOST_REQUIRE(std::holds_alternative<StagedSnapshot>(staged));
        return std::get<StagedSnapshot>(staged).commit();
    }

    bool staging_is_empty() const {
        return !fs::exists(backup / ".staging") || fs::is_empty(backup / ".staging");
    }
};

int diff_trees(const fs::path& a, const fs::path& b) {
    const std::string command =
        "diff -r --no-dereference '" + a.string() + "' '" + b.string() + "' >/dev/null 2>&1";
    return std::system(command.c_str());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot)

BOOST_AUTO_TEST_CASE(a_committed_snapshot_is_named_after_its_time_and_job_and_leaves_no_staging) {
    SnapshotFixture f;
    auto staged = f.stage("photos");
    BOOST_REQUIRE(std::holds_alternative<StagedSnapshot>(staged));
    auto& snapshot = std::get<StagedSnapshot>(staged);
    BOOST_TEST((snapshot.result().status == CopyStatus::completed));
    BOOST_TEST(snapshot.result().progress.files_copied == 2);
    BOOST_TEST(fs::is_directory(f.backup / ".staging" / "42-1"));
    BOOST_TEST(!fs::exists(f.backup / "photos"));  // nothing final before the commit

    const std::string path = snapshot.commit();

    BOOST_TEST(path == "photos/20261124T140523Z-42");
    BOOST_TEST(fs::is_directory(f.backup / path));
    BOOST_TEST(diff_trees(f.source / "photos", f.backup / path) == 0);
    BOOST_TEST(f.staging_is_empty());
    BOOST_CHECK_THROW(snapshot.commit(), std::logic_error);  // only once
}

BOOST_AUTO_TEST_CASE(an_uncommitted_snapshot_leaves_nothing_when_destroyed) {
    SnapshotFixture f;
    {
        auto staged = f.stage("photos");
        BOOST_REQUIRE(std::holds_alternative<StagedSnapshot>(staged));
        BOOST_TEST(fs::is_directory(f.backup / ".staging" / "42-1"));
    }
    BOOST_TEST(f.staging_is_empty());
    BOOST_TEST(!fs::exists(f.backup / "photos"));
}

BOOST_AUTO_TEST_CASE(a_discarded_snapshot_cannot_be_committed) {
    SnapshotFixture f;
    auto staged = f.stage("photos");
    BOOST_REQUIRE(std::holds_alternative<StagedSnapshot>(staged));
    auto& snapshot = std::get<StagedSnapshot>(staged);

    snapshot.discard();

    BOOST_TEST(f.staging_is_empty());
    BOOST_CHECK_THROW(snapshot.commit(), std::logic_error);
    BOOST_TEST(!fs::exists(f.backup / "photos"));
}

BOOST_AUTO_TEST_CASE(a_stopped_copy_cannot_be_committed_and_leaves_nothing) {
    SnapshotFixture f;
    std::stop_source stop;
    stop.request_stop();
    CopyOptions options;
    options.stop = stop.get_token();
    {
        auto staged = f.stage("photos", 42, kTakenAt, options);
        BOOST_REQUIRE(std::holds_alternative<StagedSnapshot>(staged));
        auto& snapshot = std::get<StagedSnapshot>(staged);
        BOOST_TEST((snapshot.result().status == CopyStatus::stopped));
        BOOST_CHECK_THROW(snapshot.commit(), std::logic_error);
    }
    BOOST_TEST(f.staging_is_empty());
    BOOST_TEST(!fs::exists(f.backup / "photos"));
}

BOOST_AUTO_TEST_CASE(a_leftover_staging_directory_of_the_same_attempt_is_replaced) {
    SnapshotFixture f;
    fs::create_directories(f.backup / ".staging" / "42-1" / "half" / "copied");
    write_file(f.backup / ".staging" / "42-1" / "half" / "copied" / "junk", "junk");

    const std::string path = f.snapshot("photos");

    BOOST_TEST(!fs::exists(f.backup / path / "half"));
    BOOST_TEST(diff_trees(f.source / "photos", f.backup / path) == 0);
    BOOST_TEST(f.staging_is_empty());
}

BOOST_AUTO_TEST_CASE(latest_never_moves_back_to_an_older_snapshot) {
    SnapshotFixture f;
    const std::string older = f.snapshot("photos");  // 20261124T140523Z-42
    auto staged = f.stage("photos", 43, kTakenAt + hours{1});
    BOOST_REQUIRE(std::holds_alternative<StagedSnapshot>(staged));
    const std::string newer = std::get<StagedSnapshot>(staged).commit();

    f.backup_root().publish_latest("photos", newer);
    f.backup_root().publish_latest("photos", older);  // a slower job publishing late

    BOOST_TEST(fs::read_symlink(f.backup / "photos" / "latest") == "20261124T150523Z-43");
}

BOOST_AUTO_TEST_CASE(latest_points_at_the_snapshot_and_the_next_snapshot_links_against_it) {
    SnapshotFixture f;
    const std::string first = f.snapshot("photos");
    f.backup_root().publish_latest("photos", first);

    BOOST_TEST(fs::is_symlink(f.backup / "photos" / "latest"));
    BOOST_TEST(fs::read_symlink(f.backup / "photos" / "latest") == "20261124T140523Z-42");
    const UniqueFd latest = f.backup_root().open_latest("photos");
    BOOST_REQUIRE(static_cast<bool>(latest));
    struct stat opened {};
    ::fstat(latest.get(), &opened);
    BOOST_TEST(opened.st_ino == lstat_of(f.backup / first).st_ino);

    write_file(f.source / "photos" / "c.jpg", "new picture");
    auto staged = f.stage("photos", 43, kTakenAt + hours{1});
    BOOST_REQUIRE(std::holds_alternative<StagedSnapshot>(staged));
    auto& next = std::get<StagedSnapshot>(staged);
    BOOST_TEST(next.result().progress.files_linked == 2);
    BOOST_TEST(next.result().progress.files_copied == 1);
    const std::string second = next.commit();
    f.backup_root().publish_latest("photos", second);

    BOOST_TEST(second == "photos/20261124T150523Z-43");
    BOOST_TEST(lstat_of(f.backup / second / "a.jpg").st_ino ==
               lstat_of(f.backup / first / "a.jpg").st_ino);
    BOOST_TEST(lstat_of(f.backup / second / "sub" / "b.jpg").st_ino ==
               lstat_of(f.backup / first / "sub" / "b.jpg").st_ino);
    BOOST_TEST(fs::read_symlink(f.backup / "photos" / "latest") == "20261124T150523Z-43");
    BOOST_TEST(!exists_no_follow(f.backup / "photos" / ".latest-20261124T150523Z-43"));
}

BOOST_AUTO_TEST_CASE(a_folder_without_latest_has_nothing_to_open) {
    SnapshotFixture f;
    BOOST_TEST(!f.backup_root().open_latest("photos"));
    f.snapshot("photos");
    BOOST_TEST(!f.backup_root().open_latest("photos"));  // committed but not yet published
}

BOOST_AUTO_TEST_CASE(two_snapshots_taken_in_the_same_second_get_distinct_names) {
    SnapshotFixture f;
    const std::string first = f.snapshot("photos");
    const std::string second = f.snapshot("photos");

    BOOST_TEST(first == "photos/20261124T140523Z-42");
    BOOST_TEST(second == "photos/20261124T140524Z-42");
    BOOST_TEST(fs::is_directory(f.backup / first));
    BOOST_TEST(fs::is_directory(f.backup / second));
    BOOST_TEST(f.staging_is_empty());
}

BOOST_AUTO_TEST_CASE(nested_folder_names_become_nested_directories) {
    SnapshotFixture f;
    fs::create_directories(f.source / "a" / "b" / "c");
    write_file(f.source / "a" / "b" / "c" / "deep", "deep");

    const std::string path = f.snapshot("a/b/c", 7);
    f.backup_root().publish_latest("a/b/c", path);

    BOOST_TEST(path == "a/b/c/20261124T140523Z-7");
    BOOST_TEST(read_file(f.backup / path / "deep") == "deep");
    BOOST_TEST(fs::read_symlink(f.backup / "a" / "b" / "c" / "latest") == "20261124T140523Z-7");
    BOOST_TEST(static_cast<bool>(f.backup_root().open_latest("a/b/c")));
}

BOOST_AUTO_TEST_CASE(rejected_folders_create_nothing_in_the_backup_root) {
    SnapshotFixture f;
    using E = SourceFolderError;
    const std::pair<std::string, E> cases[] = {
        {"missing", E::no_such_directory},
        {"photos/missing", E::no_such_directory},
        {"file.txt", E::not_a_directory},
        {"..", E::invalid_name},
        {"photos/../../outside", E::invalid_name},
        {(f.temp / "outside").string(), E::invalid_name},  // absolute
        {"link_out", E::leaves_source_root},
        {"link_out/secret", E::leaves_source_root},
        {"link_in", E::symlink_in_path},
        {"link_in/sub", E::symlink_in_path},
    };
    for (const auto& [folder, expected] : cases) {
        const auto staged = f.stage(folder);
        const auto* error = std::get_if<SourceFolderError>(&staged);
        BOOST_TEST((error != nullptr && *error == expected), "folder: " << folder);
        BOOST_TEST(fs::is_empty(f.backup), "folder: " << folder);
    }
    BOOST_TEST(fs::is_empty(f.temp / "outside" / "secret"));
}

BOOST_AUTO_TEST_CASE(removing_a_snapshot_with_read_only_directories_deletes_all_of_it) {
    SnapshotFixture f;
    fs::create_directories(f.source / "locked" / "inner");
    write_file(f.source / "locked" / "inner" / "file", "x");
    write_file(f.source / "locked" / "top", "y");
    set_mode(f.source / "locked" / "inner", 0555);
    set_mode(f.source / "locked", 0555);
    fs::create_directory(f.backup);
    RunAsNobody::chown_to_nobody(f.backup);
    {
        RunAsNobody nobody;  // root would remove read-only directories regardless
        const std::string path = f.snapshot("locked");
        BOOST_REQUIRE(fs::is_directory(f.backup / path / "inner"));
        BOOST_TEST((lstat_of(f.backup / path).st_mode & 07777) == 0555u);  // kept after commit
        BOOST_TEST(
            same_time(lstat_of(f.backup / path).st_mtim, lstat_of(f.source / "locked").st_mtim));

        f.backup_root().remove(path);

        BOOST_TEST(!exists_no_follow(f.backup / path));
        BOOST_TEST(fs::is_empty(f.backup / "locked"));
        f.backup_root().remove(path);  // absent is fine
        f.backup_root().remove("no/such/folder/20261124T140523Z-1");
        f.root.reset();  // closed before the identity changes back
    }
    BOOST_TEST(read_file(f.source / "locked" / "inner" / "file") == "x");
}

BOOST_AUTO_TEST_SUITE_END()
