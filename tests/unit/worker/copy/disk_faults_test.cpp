// The backup root failing under the copy engine, through the filesystem seam: a full disk and
// a read-only root end the copy with their errno, and leave neither a half-written file nor a
// staging directory behind.
#include <cerrno>
#include <chrono>
#include <string>
#include <system_error>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/copy_tree.hpp"
#include "backupd/copy/snapshot.hpp"
#include "fault_filesystem.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using backupd::testing::FaultFilesystem;
using Call = FaultFilesystem::Call;

namespace {

// A source tree (photos/ with a file, a big file and a subdirectory) and a backup root.
struct FaultFixture {
    TempTree temp;
    fs::path source = temp / "source";
    fs::path backup = temp / "backup";
    FaultFilesystem filesystem;

    FaultFixture() {
        fs::create_directories(source / "photos" / "sub");
        fs::create_directories(backup);
        write_file(source / "photos" / "a.jpg", "picture a");
        write_file(source / "photos" / "big", std::string(1 << 20, 'b'));
        write_file(source / "photos" / "sub" / "b.jpg", "picture b");
    }

    // copy_tree of photos/ into `into` (created), one thread, through `filesystem`.
    CopyResult copy_photos(const fs::path& into) {
        fs::create_directories(into);
        const auto from = open_directory(source / "photos");
        const auto to = open_directory(into);
        CopyOptions options;
        options.threads = 1;
        return copy_tree(from.get(), to.get(), -1, options, filesystem);
    }

    // stage_snapshot of photos/ into the backup root, through `filesystem`.
    void stage_photos() {
        const BackupRoot root = BackupRoot::open(backup.string(), filesystem);
        const auto source_fd = open_directory(source);
        const SnapshotRequest request{
            "photos", 7, 1, std::chrono::sys_seconds{std::chrono::seconds{1'800'000'000}}};
        (void)stage_snapshot(root, source_fd.get(), request, CopyOptions{});
    }

    bool staging_is_empty() const {
        return !fs::exists(backup / ".staging") || fs::is_empty(backup / ".staging");
    }
};

// A predicate for BOOST_CHECK_EXCEPTION: a std::system_error carrying `error`.
auto has_errno(int error) {
    return [error](const std::system_error& e) { return e.code().value() == error; };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(disk_faults)

BOOST_FIXTURE_TEST_CASE(a_full_disk_while_writing_a_file_throws_and_removes_the_half_written_file,
                        FaultFixture) {
    filesystem.before = [](Call call, const fs::path& path) {
        return call == Call::write && path.filename() == "big" ? ENOSPC : 0;
    };
    const fs::path target = temp / "target";

    BOOST_CHECK_EXCEPTION(copy_photos(target), std::system_error, has_errno(ENOSPC));

    BOOST_TEST(filesystem.faults() >= 1);
    BOOST_TEST(!exists_no_follow(target / "big"));
}

BOOST_FIXTURE_TEST_CASE(a_read_only_target_fails_the_copy_at_its_first_directory, FaultFixture) {
    filesystem.before = FaultFilesystem::fail(Call::make_directory, EROFS);
    const fs::path target = temp / "target";

    BOOST_CHECK_EXCEPTION(copy_photos(target), std::system_error, [](const std::system_error& e) {
        return e.code().value() == EROFS &&
               std::string(e.what()).find("creating 'sub' in the snapshot") != std::string::npos;
    });
    BOOST_TEST(filesystem.faults() == 1);
    BOOST_TEST(!exists_no_follow(target / "sub"));
}

BOOST_FIXTURE_TEST_CASE(a_full_disk_during_a_snapshot_leaves_neither_staging_nor_snapshot,
                        FaultFixture) {
    filesystem.before = FaultFilesystem::fail(Call::write, ENOSPC);

    BOOST_CHECK_EXCEPTION(stage_photos(), std::system_error, has_errno(ENOSPC));

    BOOST_TEST(filesystem.faults() >= 1);
    BOOST_TEST(fs::exists(backup / ".staging"));  // the copy had started
    BOOST_TEST(staging_is_empty());
    BOOST_TEST(!exists_no_follow(backup / "photos"));
}

BOOST_FIXTURE_TEST_CASE(a_read_only_backup_root_fails_the_snapshot_before_anything_is_staged,
                        FaultFixture) {
    filesystem.before = FaultFilesystem::fail(Call::make_directory, EROFS);

    BOOST_CHECK_EXCEPTION(stage_photos(), std::system_error, has_errno(EROFS));

    BOOST_TEST(filesystem.faults() == 1);
    BOOST_TEST(!exists_no_follow(backup / ".staging"));
    BOOST_TEST(!exists_no_follow(backup / "photos"));
}

BOOST_FIXTURE_TEST_CASE(a_backup_root_turning_read_only_mid_copy_leaves_no_staging_directory,
                        FaultFixture) {
    filesystem.before = FaultFilesystem::fail(Call::create_file, EROFS);

    BOOST_CHECK_EXCEPTION(stage_photos(), std::system_error, has_errno(EROFS));

    BOOST_TEST(filesystem.faults() >= 1);
    BOOST_TEST(fs::exists(backup / ".staging"));  // the staging directory was made, then removed
    BOOST_TEST(staging_is_empty());
    BOOST_TEST(!exists_no_follow(backup / "photos"));
}

BOOST_FIXTURE_TEST_CASE(without_a_fault_the_same_copy_completes, FaultFixture) {
    // The control: without faults the same copy completes, so the cases above fail for their
    // fault and nothing else.
    const CopyResult result = copy_photos(temp / "target");

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_copied == 3);
    BOOST_TEST(read_file(temp / "target" / "big") == read_file(source / "photos" / "big"));
    BOOST_TEST(filesystem.faults() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
