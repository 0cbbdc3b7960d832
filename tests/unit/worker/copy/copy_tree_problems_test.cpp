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

#include "backupd/copy/copy_tree.hpp"
#include "copy_tree_fixtures.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using backupd::testing::FaultFilesystem;
using namespace std::string_literals;
using namespace backupd::test::copy_tree_fixtures;

BOOST_AUTO_TEST_SUITE(copy_tree_stops_and_problems)

BOOST_AUTO_TEST_CASE(a_stop_requested_before_the_copy_copies_nothing) {
    CopyFixture f;
    fs::create_directory(f.source / "dir");
    write_file(f.source / "dir" / "file", "x");
    std::stop_source stop;
    stop.request_stop();
    CopyOptions options;
    options.stop = stop.get_token();

    const CopyResult result = f.copy(options);

    BOOST_TEST((result.status == CopyStatus::stopped));
    BOOST_TEST(result.progress.files_copied == 0);
    BOOST_TEST(count_regular_files(f.target) == 0);
}

BOOST_AUTO_TEST_CASE(a_stop_requested_during_the_copy_ends_it_without_a_partial_file) {
    CopyFixture f;
    for (int i = 0; i < 10; ++i)
        write_file(f.source / ("file" + std::to_string(i)),
                   std::string(1024, static_cast<char>('a' + i)));
    std::stop_source stop;
    std::atomic<int> opened{0};
    CopyOptions options;
    options.stop = stop.get_token();
    FaultFilesystem filesystem;
    filesystem.before = [&](FaultFilesystem::Call call, const fs::path&) {
        if (call == FaultFilesystem::Call::open_to_read && ++opened == 2)
            stop.request_stop();  // after the first file
        return 0;
    };

    const CopyResult result = f.copy(options, filesystem);

    BOOST_TEST((result.status == CopyStatus::stopped));
    BOOST_TEST(result.progress.files_copied >= 1);
    BOOST_TEST(result.progress.files_copied < 10);
    BOOST_TEST(count_regular_files(f.target) == result.progress.files_copied);
    BOOST_TEST(!result.problem.has_value());
}

BOOST_AUTO_TEST_CASE(a_file_that_vanishes_before_it_is_opened_is_skipped_by_default) {
    VanishingFixture f;

    const CopyResult result = f.copy();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_failed == 1);
    BOOST_TEST(result.progress.files_copied == 2);
    BOOST_TEST(!result.problem.has_value());
    BOOST_TEST(!exists_no_follow(f.target / "dir" / "victim"));
    BOOST_TEST(read_file(f.target / "dir" / "keep") == "kept");
}

BOOST_AUTO_TEST_CASE(a_file_replaced_by_a_fifo_after_the_walk_is_skipped_without_blocking) {
    VanishingFixture f;
    f.filesystem.before = [&f](FaultFilesystem::Call call, const fs::path& path) {
        if (call != FaultFilesystem::Call::open_to_read || path != f.victim) return 0;
        fs::remove(f.victim);
        BOOST_REQUIRE(::mkfifo(f.victim.c_str(), 0644) == 0);
        return 0;
    };

    // Opening a FIFO for reading would wait for a writer forever: the copy must end.
    const CopyResult result = f.copy();

    BOOST_TEST((result.status == CopyStatus::completed));
    BOOST_TEST(result.progress.files_failed == 1);
    BOOST_TEST(!exists_no_follow(f.target / "dir" / "victim"));
}

BOOST_AUTO_TEST_CASE(a_directory_that_vanishes_before_its_files_are_copied_aborts_by_default) {
    CopyFixture f;
    for (const char* name : {"a", "b"}) {
        fs::create_directory(f.source / name);
        write_file(f.source / name / "file", name);
    }
    // At the first file opened, the other directory goes: a whole subtree the walk saw is gone.
    std::atomic<bool> first{true};
    FaultFilesystem filesystem;
    filesystem.before = [&](FaultFilesystem::Call call, const fs::path& path) {
        if (call == FaultFilesystem::Call::open_to_read && first.exchange(false))
            fs::remove_all(f.source / (path.parent_path().filename() == "a" ? "b" : "a"));
        return 0;
    };
    CopyOptions options;
    options.threads = 1;

    const CopyResult result = f.copy(options, filesystem);

    BOOST_TEST((result.status == CopyStatus::aborted));
    BOOST_REQUIRE(result.problem.has_value());
    BOOST_TEST((result.problem->kind == FileProblem::Kind::vanished));
    BOOST_TEST(result.problem->directory);
}

BOOST_AUTO_TEST_CASE(a_policy_can_abort_on_a_vanished_file_which_it_names_relatively) {
    VanishingFixture f;
    std::vector<FileProblem> asked;
    CopyOptions options;
    options.threads = 1;
    options.on_problem = [&](const FileProblem& problem) {
        asked.push_back(problem);
        return ProblemDecision::abort;
    };

    const CopyResult result = f.copy(options);

    BOOST_TEST((result.status == CopyStatus::aborted));
    BOOST_REQUIRE(result.problem.has_value());
    BOOST_TEST((result.problem->kind == FileProblem::Kind::vanished));
    BOOST_TEST(result.problem->path == "dir/victim");
    BOOST_TEST(result.problem->error_number == ENOENT);
    BOOST_TEST(asked.size() == 1u);
    const std::string text = describe(*result.problem);
    BOOST_TEST(text.rfind("dir/victim: vanished", 0) == 0u, text);
    BOOST_TEST(text.find(f.source.string()) == std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(an_unreadable_file_aborts_the_copy_by_default) {
    CopyFixture f;
    write_file(f.source / "readable", "fine");
    write_file(f.source / "secret", "no");
    set_mode(f.source / "secret", 0000);
    RunAsNobody::chown_to_nobody(f.target);

    CopyResult result;
    {
        RunAsNobody nobody;
        if (::geteuid() == 0) {
            BOOST_TEST_MESSAGE("skipped: root reads mode-000 files and cannot become nobody");
            return;
        }
        result = f.copy();
    }

    BOOST_TEST((result.status == CopyStatus::aborted));
    BOOST_REQUIRE(result.problem.has_value());
    BOOST_TEST((result.problem->kind == FileProblem::Kind::unreadable));
    BOOST_TEST(result.problem->path == "secret");
    BOOST_TEST(result.problem->error_number == EACCES);
    BOOST_TEST(!exists_no_follow(f.target / "secret"));
}

BOOST_AUTO_TEST_SUITE_END()
