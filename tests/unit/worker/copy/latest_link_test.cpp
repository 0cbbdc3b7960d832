// BackupRoot's `latest` link as a prune moves it: read without following, repointed backwards,
// removed.
#include <boost/test/unit_test.hpp>

#include "backupd/copy/snapshot.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;

namespace {

struct LatestFixture {
    TempTree temp;
    fs::path backup = temp / "backup";
    BackupRoot root = BackupRoot::open(backup.string());

    LatestFixture() {
        fs::create_directories(backup / "photos" / "20261124T140523Z-42");
        fs::create_directories(backup / "photos" / "20261125T140523Z-43");
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(latest_link)

BOOST_FIXTURE_TEST_CASE(latest_name_reads_the_link_without_following_it, LatestFixture) {
    BOOST_TEST(!root.latest_name("photos").has_value());
    BOOST_TEST(!root.latest_name("no-such-folder").has_value());
    root.publish_latest("photos", "photos/20261125T140523Z-43");
    BOOST_TEST(root.latest_name("photos").value() == "20261125T140523Z-43");
    // Still named once its snapshot is gone: that is how a prune knows to repoint it.
    fs::remove(backup / "photos" / "20261125T140523Z-43");
    BOOST_TEST(root.latest_name("photos").value() == "20261125T140523Z-43");
    // A link to anything but a snapshot name is no latest snapshot.
    fs::remove(backup / "photos" / "latest");
    fs::create_symlink("../elsewhere", backup / "photos" / "latest");
    BOOST_TEST(!root.latest_name("photos").has_value());
}

BOOST_FIXTURE_TEST_CASE(repoint_moves_latest_back_to_an_older_snapshot, LatestFixture) {
    root.publish_latest("photos", "photos/20261125T140523Z-43");
    root.publish_latest("photos", "photos/20261124T140523Z-42");  // refused: older
    BOOST_TEST(fs::read_symlink(backup / "photos" / "latest") == "20261125T140523Z-43");

    root.repoint_latest("photos", "photos/20261124T140523Z-42");
    BOOST_TEST(fs::read_symlink(backup / "photos" / "latest") == "20261124T140523Z-42");
    BOOST_TEST(!exists_no_follow(backup / "photos" / ".latest-20261124T140523Z-42"));
    BOOST_TEST(static_cast<bool>(root.open_latest("photos")));

    root.repoint_latest("photos", "20261125T140523Z-43");  // a bare name works too
    BOOST_TEST(fs::read_symlink(backup / "photos" / "latest") == "20261125T140523Z-43");
}

BOOST_FIXTURE_TEST_CASE(repoint_to_nothing_removes_the_link, LatestFixture) {
    root.publish_latest("photos", "photos/20261125T140523Z-43");
    root.repoint_latest("photos", std::nullopt);
    BOOST_TEST(!exists_no_follow(backup / "photos" / "latest"));
    BOOST_TEST(fs::exists(backup / "photos" / "20261125T140523Z-43"));  // snapshots untouched
    // Absent is fine, the folder's or the link's.
    root.repoint_latest("photos", std::nullopt);
    root.repoint_latest("no-such-folder", std::nullopt);
    BOOST_TEST(!fs::exists(backup / "no-such-folder"));
}

BOOST_AUTO_TEST_SUITE_END()
