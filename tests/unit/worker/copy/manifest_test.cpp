#include "backupd/copy/manifest.hpp"

#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "temp_tree.hpp"

using namespace backupd::copy;
using namespace backupd::test;
using backupd::core::EntryType;

namespace {

const std::string kDigestA(32, 'a');
const std::string kDigestB = "0123456789abcdef0123456789abcdef";

ManifestEntry entry(std::string path, EntryType type, std::string digest = {},
                    std::string target = {}) {
    ManifestEntry e;
    e.path = std::move(path);
    e.type = type;
    e.size = type == EntryType::file ? 12345 : 0;
    e.mtime_ns = -1'500'000'000'123;  // before 1970, to the nanosecond
    e.mode = type == EntryType::dir ? 0755 : 04644;
    e.uid = 1000;
    e.gid = 4294967294u;
    e.digest = std::move(digest);
    e.target = std::move(target);
    if (type == EntryType::symlink) e.size = static_cast<std::int64_t>(e.target.size());
    return e;
}

// Names that must survive: separators of the format, the escape byte, control bytes, UTF-8.
std::vector<ManifestEntry> odd_entries() {
    return {
        entry("", EntryType::dir),
        entry(" leading space", EntryType::file, kDigestA),
        entry("%41 not an escape", EntryType::file, kDigestB),
        entry("a", EntryType::dir),
        entry("a/tab\there", EntryType::file, kDigestA),
        entry("a/x\ny", EntryType::symlink, {}, "../target\twith\ttabs\n%"),
        entry("a.txt", EntryType::file, kDigestB),
        entry("fotos \xC3\xA9t\xC3\xA9 \x7F\x01\x1F", EntryType::other),
        entry("\xFF\xFE raw bytes", EntryType::file, kDigestA),
    };
}

struct ManifestFile {
    TempTree temp;
    fs::path path = temp / "m.manifest";

    backupd::core::ManifestSummary write(const std::vector<ManifestEntry>& entries) const {
        UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        ManifestWriter writer(fd.get());
        for (const auto& e : entries) writer.add(e);
        return writer.finish();
    }

    std::vector<ManifestEntry> read(backupd::core::ManifestSummary* summary = nullptr) const {
        UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        std::vector<ManifestEntry> entries;
        const auto read_summary =
            read_manifest(fd.get(), [&](ManifestEntry&& e) { entries.push_back(std::move(e)); });
        if (summary != nullptr) *summary = read_summary;
        return entries;
    }
};

bool same(const ManifestEntry& a, const ManifestEntry& b) {
    return a.path == b.path && a.type == b.type && a.size == b.size && a.mtime_ns == b.mtime_ns &&
           a.mode == b.mode && a.uid == b.uid && a.gid == b.gid && a.target == b.target &&
           a.digest == b.digest;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(manifest)

BOOST_AUTO_TEST_CASE(every_field_and_every_odd_name_round_trips) {
    ManifestFile f;
    const auto written = f.write(odd_entries());
    backupd::core::ManifestSummary read_summary;
    const auto entries = f.read(&read_summary);

    BOOST_TEST(written.algorithm == "xxh3-128");
    BOOST_TEST(written.digest.size() == 32u);
    BOOST_TEST((read_summary == written));
    const auto expected = odd_entries();
    BOOST_REQUIRE(entries.size() == expected.size());
    for (std::size_t i = 0; i < entries.size(); ++i)
        BOOST_TEST(same(entries[i], expected[i]), "entry " << i << ": " << expected[i].path);
}

BOOST_AUTO_TEST_CASE(the_file_is_one_line_per_entry_between_a_header_and_a_trailer) {
    ManifestFile f;
    const auto summary =
        f.write({entry("", EntryType::dir), entry("b", EntryType::file, kDigestB)});
    BOOST_TEST(read_file(f.path) ==
               "backupd-manifest 1 xxh3-128\n"
               "\tdir\t0\t-1500000000123\t755\t1000\t4294967294\t\t\n"
               "b\tfile\t12345\t-1500000000123\t4644\t1000\t4294967294\t\t" +
                   kDigestB + "\nend\t2\t" + summary.digest + "\n");
}

BOOST_AUTO_TEST_CASE(manifest_order_puts_a_directory_s_contents_right_after_it) {
    BOOST_TEST(manifest_before("", "a"));
    BOOST_TEST(manifest_before("a", "a/z"));
    BOOST_TEST(manifest_before("a/z", "a.txt"));  // '/' before '.', unlike plain byte order
    BOOST_TEST(manifest_before("a.txt", "b"));
    BOOST_TEST(manifest_before("Z", "a"));
    BOOST_TEST(manifest_before("a", "\xC3\xA9"));  // bytes, unsigned
    BOOST_TEST(!manifest_before("a", "a"));
}

BOOST_AUTO_TEST_CASE(entries_out_of_order_are_refused_by_the_writer) {
    ManifestFile f;
    UniqueFd fd(::open(f.path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ManifestWriter writer(fd.get());
    writer.add(entry("a.txt", EntryType::file, kDigestA));
    BOOST_CHECK_THROW(writer.add(entry("a/b", EntryType::file, kDigestA)), std::logic_error);
    BOOST_CHECK_THROW(writer.add(entry("a.txt", EntryType::file, kDigestA)), std::logic_error);
}

BOOST_AUTO_TEST_CASE(a_truncated_manifest_does_not_check) {
    ManifestFile f;
    f.write(odd_entries());
    const std::string whole = read_file(f.path);
    for (const std::size_t keep : {std::size_t{0}, std::size_t{10}, whole.size() / 2,
                                   whole.rfind("end\t"), whole.size() - 1}) {
        write_file(f.path, whole.substr(0, keep));
        BOOST_CHECK_THROW(f.read(), ManifestError);
    }
}

BOOST_AUTO_TEST_CASE(any_altered_byte_makes_the_manifest_fail_its_check) {
    ManifestFile f;
    f.write(odd_entries());
    const std::string whole = read_file(f.path);
    int refused = 0;
    for (std::size_t at = 0; at < whole.size(); ++at) {
        std::string altered = whole;
        altered[at] = static_cast<char>(altered[at] ^ 0x04);
        write_file(f.path, altered);
        try {
            f.read();
        } catch (const ManifestError&) {
            ++refused;
        }
    }
    BOOST_TEST(refused == static_cast<int>(whole.size()));
}

BOOST_AUTO_TEST_CASE(bytes_after_the_trailer_do_not_check) {
    ManifestFile f;
    f.write(odd_entries());
    write_file(f.path, read_file(f.path) + "x\n");
    BOOST_CHECK_THROW(f.read(), ManifestError);
}

BOOST_AUTO_TEST_CASE(a_file_s_digest_is_found_by_its_path) {
    ManifestFile f;
    f.write(odd_entries());
    UniqueFd fd(::open(f.path.c_str(), O_RDONLY | O_CLOEXEC));
    BOOST_TEST(find_file_digest(fd.get(), "a/tab\there").value_or("none") == kDigestA);
    BOOST_TEST(find_file_digest(fd.get(), "a.txt").value_or("none") == kDigestB);
    BOOST_TEST(!find_file_digest(fd.get(), "a").has_value());  // a directory
    BOOST_TEST(!find_file_digest(fd.get(), "nope").has_value());
}

BOOST_AUTO_TEST_CASE(a_manifest_of_many_entries_streams_through) {
    ManifestFile f;
    std::vector<ManifestEntry> entries{entry("", EntryType::dir)};
    {
        UniqueFd fd(::open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        ManifestWriter writer(fd.get());
        writer.add(entry("", EntryType::dir));
        char name[32];
        for (int i = 0; i < 20000; ++i) {
            std::snprintf(name, sizeof name, "d/%06d", i);
            if (i == 0) writer.add(entry("d", EntryType::dir));
            writer.add(entry(name, EntryType::file, kDigestB));
        }
        writer.finish();
    }
    UniqueFd fd(::open(f.path.c_str(), O_RDONLY | O_CLOEXEC));
    std::int64_t count = 0;
    std::string last;
    read_manifest(fd.get(), [&](ManifestEntry&& e) {
        ++count;
        last = e.path;
    });
    BOOST_TEST(count == 20002);
    BOOST_TEST(last == "d/019999");
}

BOOST_AUTO_TEST_SUITE_END()
