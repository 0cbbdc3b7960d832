#include "backupd/copy/remove_tree.hpp"

#include <string>
#include <system_error>

#include <boost/test/unit_test.hpp>

#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;

BOOST_AUTO_TEST_SUITE(remove_tree_suite)

BOOST_AUTO_TEST_CASE(removes_a_nested_tree_with_read_only_directories_and_files) {
    TempTree temp;
    const fs::path parent = temp / "parent";
    fs::create_directory(parent);
    RunAsNobody::chown_to_nobody(parent);
    {
        RunAsNobody nobody;  // root would remove read-only directories regardless
        fs::create_directories(parent / "victim" / "open" / "deep");
        fs::create_directories(parent / "victim" / "locked" / "inner");
        fs::create_directory(parent / "keep");
        write_file(parent / "victim" / "open" / "deep" / "file", "x");
        write_file(parent / "victim" / "locked" / "file", "x");
        write_file(parent / "victim" / "locked" / "inner" / "file", "x");
        write_file(parent / "victim" / "readonly", "x");
        set_mode(parent / "victim" / "readonly", 0444);
        set_mode(parent / "victim" / "locked" / "inner", 0555);
        set_mode(parent / "victim" / "locked", 0555);
        set_mode(parent / "victim", 0555);

        remove_tree(open_directory(parent).get(), "victim");

        BOOST_TEST(!exists_no_follow(parent / "victim"));
        BOOST_TEST(fs::is_directory(parent / "keep"));
    }
}

BOOST_AUTO_TEST_CASE(removes_directories_without_read_permission) {
    TempTree temp;
    const fs::path parent = temp / "parent";
    fs::create_directory(parent);
    RunAsNobody::chown_to_nobody(parent);
    {
        RunAsNobody nobody;  // root reads any directory regardless
        fs::create_directories(parent / "victim" / "write-only" / "deep");
        write_file(parent / "victim" / "write-only" / "deep" / "file", "x");
        fs::create_directory(parent / "victim" / "nothing");
        set_mode(parent / "victim" / "write-only", 0300);
        set_mode(parent / "victim" / "nothing", 0000);

        remove_tree(open_directory(parent).get(), "victim");

        BOOST_TEST(!exists_no_follow(parent / "victim"));
    }
}

BOOST_AUTO_TEST_CASE(symbolic_links_are_removed_and_never_followed) {
    TempTree temp;
    fs::create_directories(temp / "outside" / "dir");
    write_file(temp / "outside" / "file", "survives");
    write_file(temp / "outside" / "dir" / "inner", "survives too");
    fs::create_directories(temp / "victim" / "sub");
    fs::create_directory_symlink(temp / "outside", temp / "victim" / "absolute_dir");
    fs::create_directory_symlink("../../outside/dir", temp / "victim" / "sub" / "relative_dir");
    fs::create_symlink(temp / "outside" / "file", temp / "victim" / "file_link");
    fs::create_symlink("nowhere", temp / "victim" / "dangling");
    fs::create_directory_symlink(temp / "outside", temp / "top_link");
    const UniqueFd parent = open_directory(temp.path());

    remove_tree(parent.get(), "victim");
    remove_tree(parent.get(), "top_link");

    BOOST_TEST(!exists_no_follow(temp / "victim"));
    BOOST_TEST(!exists_no_follow(temp / "top_link"));
    BOOST_TEST(read_file(temp / "outside" / "file") == "survives");
    BOOST_TEST(read_file(temp / "outside" / "dir" / "inner") == "survives too");
}

BOOST_AUTO_TEST_CASE(removes_a_single_file_and_accepts_a_missing_entry) {
    TempTree temp;
    write_file(temp / "file", "x");
    const UniqueFd parent = open_directory(temp.path());

    remove_tree(parent.get(), "file");
    BOOST_CHECK_NO_THROW(remove_tree(parent.get(), "missing"));

    BOOST_TEST(!exists_no_follow(temp / "file"));
}

BOOST_AUTO_TEST_CASE(an_entry_of_a_read_only_parent_is_kept_and_the_failure_thrown) {
    TempTree temp;
    const fs::path parent = temp / "parent";
    fs::create_directory(parent);
    write_file(parent / "file", "x");
    set_mode(parent, 0555);
    const UniqueFd parent_fd = open_directory(parent);

    RunAsNobody nobody;
    if (::geteuid() == 0) {
        BOOST_TEST_MESSAGE("skipped: root removes entries of read-only directories");
        return;
    }
    BOOST_CHECK_THROW(remove_tree(parent_fd.get(), "file"), std::system_error);
    BOOST_TEST(exists_no_follow(parent / "file"));
}

BOOST_AUTO_TEST_SUITE_END()
