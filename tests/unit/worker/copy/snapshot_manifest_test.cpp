// Every snapshot's manifest: where it lives through staging and commit, that it records what
// was copied, and how an incremental snapshot reuses the previous one's digests.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/manifest.hpp"
#include "backupd/copy/snapshot.hpp"
#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using namespace std::chrono;
using Strings = std::vector<std::string>;

namespace {

const sys_seconds kTakenAt{sys_days{year{2026} / 11 / 24} + hours{14} + minutes{5} + seconds{23}};

std::string xxh3_128(const std::string& bytes) {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes.data(), bytes.size()));
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (const unsigned char byte : canonical.digest) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0xf];
    }
    return hex;
}

std::vector<ManifestEntry> read_entries(const fs::path& manifest) {
    const UniqueFd fd(::open(manifest.c_str(), O_RDONLY | O_CLOEXEC));
    BOOST_REQUIRE(fd);
    std::vector<ManifestEntry> entries;
    read_manifest(fd.get(), [&](ManifestEntry&& e) { entries.push_back(std::move(e)); });
    return entries;
}

std::map<std::string, std::string> digests_of(const fs::path& manifest) {
    std::map<std::string, std::string> digests;
    for (auto& e : read_entries(manifest)) {
        if (e.type == backupd::core::EntryType::file) digests[e.path] = e.digest;
    }
    return digests;
}

Strings names_in(const fs::path& directory) {
    Strings names;
    for (const auto& entry : fs::directory_iterator(directory))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Renames of snapshot directories fail with EIO; everything else is real.
struct FailingDirectoryRename : SystemFilesystem {
    int rename(int from_directory, const char* from, int to_directory, const char* to,
               unsigned flags) const override {
        if (!std::string_view(to).ends_with(kManifestSuffix)) {
            errno = EIO;
            return -1;
        }
        return SystemFilesystem::rename(from_directory, from, to_directory, to, flags);
    }
};

struct ManifestFixture {
    TempTree temp;
    fs::path source = temp / "source";
    fs::path backup = temp / "backup";
    UniqueFd source_fd;
    std::optional<BackupRoot> root;

    ManifestFixture() {
        fs::create_directories(source / "photos" / "sub");
        write_file(source / "photos" / "a.jpg", "picture a");
        write_file(source / "photos" / "same.jpg", "picture a");
        write_file(source / "photos" / "sub" / "b.jpg", std::string(700000, 'b'));
        fs::create_symlink("sub/b.jpg", source / "photos" / "link");
        ::mkfifo((source / "photos" / "fifo").c_str(), 0600);
        source_fd = open_directory(source);
        root.emplace(BackupRoot::open(backup.string()));
    }

    std::variant<StagedSnapshot, SourceFolderError> stage(std::int64_t job, sys_seconds at) {
        return stage_snapshot(*root, source_fd.get(), SnapshotRequest{"photos", job, 1, at}, {});
    }

    // Stages, commits and publishes a snapshot of photos; returns its path under the root.
    fs::path snapshot(std::int64_t job, sys_seconds at = kTakenAt) {
        auto staged = stage(job, at);
        auto& snapshot = std::get<StagedSnapshot>(staged);
        last_result = snapshot.result();
        const std::string path = snapshot.commit();
        root->publish_latest("photos", path);
        return backup / path;
    }

    CopyResult last_result;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_manifest)

BOOST_AUTO_TEST_CASE(the_manifest_is_staged_then_committed_beside_its_snapshot) {
    ManifestFixture f;
    auto staged = f.stage(42, kTakenAt);
    auto& snapshot = std::get<StagedSnapshot>(staged);
    BOOST_TEST(fs::is_regular_file(f.backup / ".staging" / "42-1.manifest"));
    BOOST_REQUIRE(snapshot.result().manifest.has_value());
    BOOST_TEST(snapshot.result().manifest->algorithm == "xxh3-128");

    const std::string path = snapshot.commit();

    BOOST_TEST(names_in(f.backup / "photos") ==
                   (Strings{"20261124T140523Z-42", "20261124T140523Z-42.manifest"}),
               boost::test_tools::per_element());
    BOOST_TEST(fs::is_empty(f.backup / ".staging"));
    const UniqueFd fd(::open(manifest_path((f.backup / path).string()).c_str(), O_RDONLY));
    const auto summary = read_manifest(fd.get(), [](ManifestEntry&&) {});
    BOOST_TEST((summary == *snapshot.result().manifest));
}

BOOST_AUTO_TEST_CASE(the_manifest_records_every_entry_in_order_with_the_digest_of_its_bytes) {
    ManifestFixture f;
    const fs::path snapshot = f.snapshot(42);
    const auto entries = read_entries(manifest_path(snapshot.string()));
    Strings paths;
    for (const auto& e : entries) paths.push_back(e.path);
    BOOST_TEST(paths == (Strings{"", "a.jpg", "link", "same.jpg", "sub", "sub/b.jpg"}),
               boost::test_tools::per_element());  // no FIFO: it is not in the snapshot
    const auto digests = digests_of(manifest_path(snapshot.string()));
    BOOST_TEST(digests.at("a.jpg") == xxh3_128("picture a"));
    BOOST_TEST(digests.at("same.jpg") == digests.at("a.jpg"));
    BOOST_TEST(digests.at("sub/b.jpg") == xxh3_128(std::string(700000, 'b')));
    const auto& link = entries[2];
    BOOST_TEST(link.target == "sub/b.jpg");
    BOOST_TEST((link.type == backupd::core::EntryType::symlink));
    const struct stat a = lstat_of(f.source / "photos" / "a.jpg");
    BOOST_TEST(entries[1].size == 9);
    BOOST_TEST(entries[1].mode == (a.st_mode & 07777));
    BOOST_TEST(entries[1].mtime_ns == a.st_mtim.tv_sec * 1'000'000'000LL + a.st_mtim.tv_nsec);
    BOOST_TEST(entries[1].uid == a.st_uid);
}

BOOST_AUTO_TEST_CASE(an_unchanged_file_takes_the_previous_digest_without_being_read) {
    ManifestFixture f;
    const fs::path first = f.snapshot(42);
    // Rewrite the first manifest with a made-up digest for a.jpg (a valid manifest still): a
    // second snapshot that reads a.jpg would record its true digest instead.
    const std::string made_up(32, 'e');
    {
        auto entries = read_entries(manifest_path(first.string()));
        const UniqueFd fd(::open(manifest_path(first.string()).c_str(), O_WRONLY | O_TRUNC));
        ManifestWriter writer(fd.get());
        for (auto& e : entries) {
            if (e.path == "a.jpg") e.digest = made_up;
            writer.add(e);
        }
        writer.finish();
    }

    const fs::path second = f.snapshot(43, kTakenAt + hours{1});

    BOOST_TEST(f.last_result.progress.files_linked == 3);
    BOOST_TEST(f.last_result.progress.bytes_copied == 0);
    const auto digests = digests_of(manifest_path(second.string()));
    BOOST_TEST(digests.at("a.jpg") == made_up);
    BOOST_TEST(digests.at("sub/b.jpg") == xxh3_128(std::string(700000, 'b')));
}

BOOST_AUTO_TEST_CASE(unchanged_is_judged_by_the_previous_manifest_not_the_previous_files) {
    ManifestFixture f;
    const fs::path first = f.snapshot(42);
    // The previous copy's stat changes (its inode is its own: the source keeps its times);
    // the manifest still records the source as it was, so the file is still linked.
    set_times(first / "a.jpg", {1, 0}, {1, 0});

    const fs::path second = f.snapshot(43, kTakenAt + hours{1});

    BOOST_TEST(f.last_result.progress.files_linked == 3);
    BOOST_TEST(lstat_of(second / "a.jpg").st_ino == lstat_of(first / "a.jpg").st_ino);
}

BOOST_AUTO_TEST_CASE(a_changed_file_is_copied_and_digested_anew) {
    ManifestFixture f;
    f.snapshot(42);
    write_file(f.source / "photos" / "a.jpg", "picture A, edited");

    const fs::path second = f.snapshot(43, kTakenAt + hours{1});

    BOOST_TEST(f.last_result.progress.files_copied == 1);
    BOOST_TEST(f.last_result.progress.files_linked == 2);
    BOOST_TEST(digests_of(manifest_path(second.string())).at("a.jpg") ==
               xxh3_128("picture A, edited"));
}

BOOST_AUTO_TEST_CASE(without_a_usable_previous_manifest_the_previous_files_are_stat_ed_and_read) {
    for (const bool corrupt : {false, true}) {
        ManifestFixture f;
        const fs::path first = f.snapshot(42);
        const fs::path manifest = manifest_path(first.string());
        if (corrupt) {
            write_file(manifest, read_file(manifest) + "junk");
        } else {
            fs::remove(manifest);  // a snapshot from before manifests
        }

        const fs::path second = f.snapshot(43, kTakenAt + hours{1});

        BOOST_TEST(f.last_result.progress.files_linked == 3, "corrupt: " << corrupt);
        BOOST_TEST(lstat_of(second / "a.jpg").st_ino == lstat_of(first / "a.jpg").st_ino);
        const auto digests = digests_of(manifest_path(second.string()));
        BOOST_TEST(digests.at("a.jpg") == xxh3_128("picture a"));
        BOOST_TEST(digests.at("sub/b.jpg") == xxh3_128(std::string(700000, 'b')));
    }
}

BOOST_AUTO_TEST_CASE(a_failed_directory_rename_takes_the_manifest_away_again) {
    ManifestFixture f;
    const FailingDirectoryRename failing;
    f.root.emplace(BackupRoot::open(f.backup.string(), failing));
    {
        auto staged = f.stage(42, kTakenAt);
        BOOST_CHECK_THROW(std::get<StagedSnapshot>(staged).commit(), std::system_error);
    }
    BOOST_TEST(fs::is_empty(f.backup / "photos"));
    BOOST_TEST(fs::is_empty(f.backup / ".staging"));
}

BOOST_AUTO_TEST_CASE(a_name_taken_by_a_manifest_alone_moves_the_snapshot_to_the_next_second) {
    ManifestFixture f;
    fs::create_directories(f.backup / "photos");
    write_file(f.backup / "photos" / "20261124T140523Z-42.manifest", "an orphan");

    const fs::path snapshot = f.snapshot(42);

    BOOST_TEST(snapshot.filename() == "20261124T140524Z-42");
    BOOST_TEST(fs::is_regular_file(manifest_path(snapshot.string())));
    BOOST_TEST(read_file(f.backup / "photos" / "20261124T140523Z-42.manifest") == "an orphan");
}

BOOST_AUTO_TEST_CASE(removing_a_snapshot_removes_its_manifest_and_a_copy_of_it_holds_none) {
    ManifestFixture f;
    const fs::path snapshot = f.snapshot(42);
    for (const auto& entry : fs::recursive_directory_iterator(snapshot))
        BOOST_TEST(!entry.path().string().ends_with(".manifest"));

    f.root->remove("photos/20261124T140523Z-42");

    BOOST_TEST(names_in(f.backup / "photos") == (Strings{"latest"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
