#include "backupd/copy/verify_snapshot.hpp"

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/manifest.hpp"
#include "backupd/copy/snapshot.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using Strings = std::vector<std::string>;

namespace {

// A committed snapshot of a small tree, and verify over it.
struct VerifyFixture {
    TempTree temp;
    fs::path source = temp / "source";
    fs::path backup = temp / "backup";
    fs::path snapshot;

    VerifyFixture() {
        fs::create_directories(source / "photos" / "sub" / "deeper");
        fs::create_directories(source / "photos" / "empty");
        write_file(source / "photos" / "a.jpg", "picture a");
        write_file(source / "photos" / "sub" / "b.jpg", std::string(300000, 'b'));
        write_file(source / "photos" / "sub" / "deeper" / "c.txt", "c");
        write_file(source / "photos" / "zero", "");
        fs::create_symlink("../a.jpg", source / "photos" / "sub" / "link");
        const UniqueFd source_fd = open_directory(source);
        const BackupRoot root = BackupRoot::open(backup.string());
        auto staged = stage_snapshot(root, source_fd.get(),
                                     SnapshotRequest{"photos", 7, 1, std::chrono::sys_seconds{}},
                                     CopyOptions{});
        snapshot = backup / std::get<StagedSnapshot>(staged).commit();
    }

    std::optional<backupd::core::VerifyReport> verify(const VerifyOptions& options = {}) const {
        const UniqueFd directory = open_directory(snapshot);
        const UniqueFd manifest(
            ::open(manifest_path(snapshot.string()).c_str(), O_RDONLY | O_CLOEXEC));
        BOOST_REQUIRE(manifest);
        return verify_snapshot(directory.get(), manifest.get(), options);
    }

    backupd::core::VerifyReport report() const {
        auto found = verify();
        BOOST_REQUIRE(found.has_value());
        return *found;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(verify_snapshot)

BOOST_AUTO_TEST_CASE(an_intact_snapshot_checks_every_entry) {
    VerifyFixture f;
    const auto report = f.report();
    BOOST_TEST(report.intact());
    // top, a.jpg, empty, sub, sub/b.jpg, sub/deeper, sub/deeper/c.txt, sub/link, zero
    BOOST_TEST(report.checked == 9);
    BOOST_TEST(report.paths.empty());
}

BOOST_AUTO_TEST_CASE(a_corrupted_byte_is_a_mismatch_named_by_its_path) {
    VerifyFixture f;
    const fs::path file = f.snapshot / "sub" / "b.jpg";
    std::string bytes = read_file(file);
    bytes[123456] = 'x';
    write_file(file, bytes);  // same size, same mode
    const auto report = f.report();
    BOOST_TEST(report.mismatched == 1);
    BOOST_TEST(report.missing + report.extra == 0);
    BOOST_TEST(report.paths == (Strings{"sub/b.jpg"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_truncated_file_is_a_mismatch) {
    VerifyFixture f;
    fs::resize_file(f.snapshot / "a.jpg", 3);
    const auto report = f.report();
    BOOST_TEST(report.mismatched == 1);
    BOOST_TEST(report.paths == (Strings{"a.jpg"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deleted_entries_are_missing_and_new_ones_extra) {
    VerifyFixture f;
    fs::remove(f.snapshot / "sub" / "deeper" / "c.txt");
    write_file(f.snapshot / "sub" / "new.txt", "not recorded");
    fs::create_directory(f.snapshot / "empty" / "new dir");
    const auto report = f.report();
    BOOST_TEST(report.missing == 1);
    BOOST_TEST(report.extra == 2);
    BOOST_TEST(report.mismatched == 0);
    BOOST_TEST(report.paths == (Strings{"empty/new dir", "sub/deeper/c.txt", "sub/new.txt"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_deleted_directory_makes_everything_beneath_it_missing) {
    VerifyFixture f;
    fs::remove_all(f.snapshot / "sub" / "deeper");
    const auto report = f.report();
    BOOST_TEST(report.missing == 2);
    BOOST_TEST(report.paths == (Strings{"sub/deeper", "sub/deeper/c.txt"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_changed_link_target_is_a_mismatch_and_never_followed) {
    VerifyFixture f;
    fs::remove(f.snapshot / "sub" / "link");
    fs::create_symlink("deeper", f.snapshot / "sub" / "link");  // a link to a directory
    const auto report = f.report();
    BOOST_TEST(report.mismatched == 1);
    BOOST_TEST(report.extra == 0);
    BOOST_TEST(report.paths == (Strings{"sub/link"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_mode_change_is_a_mismatch) {
    VerifyFixture f;
    set_mode(f.snapshot / "zero", 0666);
    set_mode(f.snapshot / "empty", 0700);
    const auto report = f.report();
    BOOST_TEST(report.mismatched == 2);
    BOOST_TEST(report.paths == (Strings{"empty", "zero"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_replaced_by_a_directory_is_a_mismatch) {
    VerifyFixture f;
    fs::remove(f.snapshot / "a.jpg");
    fs::create_directory(f.snapshot / "a.jpg");
    const auto report = f.report();
    BOOST_TEST(report.mismatched == 1);
    BOOST_TEST(report.paths == (Strings{"a.jpg"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_altered_manifest_is_refused_before_any_file_is_read) {
    VerifyFixture f;
    const fs::path manifest = manifest_path(f.snapshot.string());
    std::string text = read_file(manifest);
    text[text.find("a.jpg")] = 'A';
    write_file(manifest, text);
    BOOST_CHECK_THROW(f.verify(), ManifestError);
}

BOOST_AUTO_TEST_CASE(progress_counts_the_files_against_the_manifest_totals) {
    VerifyFixture f;
    std::optional<backupd::core::Progress> last;
    VerifyOptions options;
    options.threads = 2;
    options.on_progress = [&](const backupd::core::Progress& p) { last = p; };
    BOOST_TEST(f.verify(options)->intact());
    BOOST_REQUIRE(last.has_value());
    BOOST_TEST(last->files_total.value_or(-1) == 4);
    BOOST_TEST(last->files_copied == 4);
    BOOST_TEST(last->bytes_total.value_or(-1) == 300010);
    BOOST_TEST(last->bytes_copied == 300010);
}

BOOST_AUTO_TEST_CASE(a_requested_stop_ends_the_verify_without_a_report) {
    VerifyFixture f;
    std::stop_source stop;
    stop.request_stop();
    VerifyOptions options;
    options.stop = stop.get_token();
    BOOST_TEST(!f.verify(options).has_value());
}

BOOST_AUTO_TEST_CASE(at_most_a_hundred_paths_are_kept_but_all_are_counted) {
    VerifyFixture f;
    for (int i = 0; i < 150; ++i) write_file(f.snapshot / ("extra" + std::to_string(i)), "x");
    const auto report = f.report();
    BOOST_TEST(report.extra == 150);
    BOOST_TEST(report.paths.size() == 100u);
}

BOOST_AUTO_TEST_SUITE_END()
