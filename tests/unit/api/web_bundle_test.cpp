// The dashboard's build step (api/bundle/web_bundle.hpp) over the fixture tests/fixtures/web/:
// hashed names are the SHA-256 of the served bytes, index.html and the modules' relative imports
// name them, a change to one module renames every importer, the output is reproducible, and bad
// input fails with the file's name.
#include "web_bundle.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <zlib.h>

#include <boost/test/unit_test.hpp>

namespace bundle = backupd::api::bundle;
namespace fs = std::filesystem;

namespace {

// The fixture's files, in a fixed but unsorted order.
std::vector<bundle::SourceFile> fixture() {
    const fs::path root = BACKUPD_WEB_FIXTURE_DIR;
    std::vector<bundle::SourceFile> files;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        files.push_back({entry.path().lexically_relative(root).generic_string(), bytes.str()});
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.path > b.path; });
    return files;
}

const bundle::BundledFile& served(const std::vector<bundle::BundledFile>& files,
                                  std::string_view prefix) {
    const auto found = std::find_if(files.begin(), files.end(),
                                    [&](const auto& f) { return f.url_path.starts_with(prefix); });
    if (found == files.end()) throw std::runtime_error("not bundled: " + std::string(prefix));
    return *found;
}

// "/assets/lib/api.0123456789ab.js" -> "api.0123456789ab.js"
std::string file_name(const bundle::BundledFile& file) {
    return file.url_path.substr(file.url_path.rfind('/') + 1);
}

std::string gunzip(const std::string& compressed) {
    z_stream stream{};
    BOOST_REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
    std::string out(1 << 20, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = inflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    inflateEnd(&stream);
    BOOST_REQUIRE(result == Z_STREAM_END);
    return out;
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(web_bundle)

BOOST_AUTO_TEST_CASE(sha256_hex_matches_the_standard_test_vector) {
    BOOST_TEST(bundle::sha256_hex("abc") ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(hashed_path_puts_the_hash_before_the_extension) {
    BOOST_TEST(bundle::hashed_path("app.js", "0123456789ab") == "app.0123456789ab.js");
    BOOST_TEST(bundle::hashed_path("lib/x.min.css", "h") == "lib/x.h.min.css");
    BOOST_TEST(bundle::hashed_path("LICENSE", "h") == "LICENSE.h");
}

BOOST_AUTO_TEST_CASE(content_types_carry_a_charset_for_text) {
    BOOST_TEST(bundle::content_type_for("a/b.js") == "text/javascript; charset=utf-8");
    BOOST_TEST(bundle::content_type_for("index.html") == "text/html; charset=utf-8");
    BOOST_TEST(bundle::content_type_for("s.css") == "text/css; charset=utf-8");
    BOOST_TEST(bundle::content_type_for("i.png") == "image/png");
    BOOST_TEST(bundle::content_type_for("blob") == "application/octet-stream");
}

BOOST_AUTO_TEST_CASE(resolve_stays_inside_web_and_skips_urls) {
    BOOST_TEST(bundle::resolve("lib/api.js", "./format.js") == "lib/format.js");
    BOOST_TEST(bundle::resolve("lib/api.js", "../app.js") == "app.js");
    BOOST_TEST(bundle::resolve("app.js", "../etc/passwd") == "");
    BOOST_TEST(bundle::resolve("index.html", "https://x.invalid/a.js") == "");
    BOOST_TEST(bundle::resolve("index.html", "/abs.js") == "");
    BOOST_TEST(bundle::resolve("index.html", "a.js?v=1") == "");
    BOOST_TEST(bundle::resolve("index.html", "#top") == "");
}

BOOST_AUTO_TEST_CASE(every_asset_is_named_by_the_hash_of_the_bytes_served) {
    const auto files = bundle::bundle(fixture());
    BOOST_TEST(files.size() == 6U);
    for (const auto& file : files) {
        const std::string hash = bundle::sha256_hex(file.bytes);
        BOOST_TEST(file.etag == '"' + hash.substr(0, 16) + '"');
        if (file.url_path == "/") {
            BOOST_TEST(!file.immutable);
            continue;
        }
        BOOST_TEST(file.immutable);
        BOOST_TEST(contains(file.url_path, "." + hash.substr(0, bundle::kNameHashLength) + "."),
                   file.url_path);
    }
    BOOST_TEST(served(files, "/assets/lib/api.").content_type == "text/javascript; charset=utf-8");
    BOOST_TEST(served(files, "/assets/logo.").content_type == "image/svg+xml; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(index_html_names_the_hashed_assets_and_leaves_other_references) {
    const auto files = bundle::bundle(fixture());
    const std::string& index = served(files, "/").bytes;
    BOOST_TEST(
        contains(index, "href=\"assets/" + file_name(served(files, "/assets/style.")) + '"'));
    BOOST_TEST(contains(index, "HREF='assets/" + file_name(served(files, "/assets/logo.")) + '\''));
    BOOST_TEST(contains(index, "src=\"assets/" + file_name(served(files, "/assets/app.")) + '"'));
    BOOST_TEST(contains(index, R"(src="https://example.invalid/x.js")"));
    BOOST_TEST(contains(index, R"(href="#top")"));
    BOOST_TEST(contains(index, R"(src="missing.png")"));
    BOOST_TEST(served(files, "/").content_type == "text/html; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(modules_import_their_dependencies_by_hashed_name) {
    const auto files = bundle::bundle(fixture());
    const std::string format = file_name(served(files, "/assets/lib/format."));
    const std::string api = file_name(served(files, "/assets/lib/api."));
    const auto& app = served(files, "/assets/app.").bytes;
    BOOST_TEST(contains(app, "from './lib/" + api + "'"));
    BOOST_TEST(contains(app, "import './lib/" + format + "'"));
    BOOST_TEST(contains(app, "import(\"./lib/" + format + "\")"));
    BOOST_TEST(contains(served(files, "/assets/lib/api.").bytes, "from './" + format + "'"));
    BOOST_TEST(!contains(app, "format.js"));
}

BOOST_AUTO_TEST_CASE(a_changed_module_renames_every_module_that_imports_it) {
    const auto before = bundle::bundle(fixture());
    auto changed = fixture();
    for (auto& file : changed) {
        if (file.path == "lib/format.js") file.bytes += "// changed\n";
    }
    const auto after = bundle::bundle(changed);
    for (const char* renamed : {"/assets/lib/format.", "/assets/lib/api.", "/assets/app."})
        BOOST_TEST(served(before, renamed).url_path != served(after, renamed).url_path, renamed);
    BOOST_TEST(served(before, "/assets/style.").url_path ==
               served(after, "/assets/style.").url_path);
    BOOST_TEST(served(before, "/").bytes != served(after, "/").bytes);
}

BOOST_AUTO_TEST_CASE(the_same_files_give_the_same_bytes_in_any_order) {
    const auto one = bundle::bundle(fixture());
    auto reversed = fixture();
    std::reverse(reversed.begin(), reversed.end());
    const auto two = bundle::bundle(reversed);
    BOOST_REQUIRE(one.size() == two.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        BOOST_TEST(one[i].url_path == two[i].url_path);
        BOOST_TEST(one[i].bytes == two[i].bytes);
        BOOST_TEST(one[i].gzip == two[i].gzip);
    }
}

BOOST_AUTO_TEST_CASE(gzip_decodes_to_the_bytes_and_is_kept_only_when_smaller) {
    const std::string text(4000, 'a');
    const std::string compressed = bundle::gzip(text);
    BOOST_TEST(compressed.size() < 100U);
    BOOST_TEST(gunzip(compressed) == text);
    // No time in the header (bytes 4-7), so builds are reproducible.
    BOOST_TEST(compressed.substr(4, 4) == std::string(4, '\0'));
    const auto files = bundle::bundle(fixture());
    const auto& app = served(files, "/assets/app.");
    BOOST_REQUIRE(!app.gzip.empty());
    BOOST_TEST(gunzip(app.gzip) == app.bytes);
    // 69 bytes of SVG do not shrink.
    BOOST_TEST(served(files, "/assets/logo.").gzip.empty());
}

BOOST_AUTO_TEST_CASE(bad_input_fails_naming_the_file) {
    auto message_of = [](std::vector<bundle::SourceFile> files) {
        try {
            bundle::bundle(std::move(files));
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    BOOST_TEST(message_of({{"app.js", ""}}) == "web/ has no index.html");
    BOOST_TEST(message_of({{"index.html", ""}, {"a.js", "import './b.js';"}}) ==
               "web/a.js: imports web/b.js, which does not exist");
    BOOST_TEST(
        message_of(
            {{"index.html", ""}, {"a.js", "import './b.js';"}, {"b.js", "import './a.js';"}}) ==
        "web/a.js: modules import each other in a cycle");
    BOOST_TEST(message_of({{"index.html", ""}, {"../x.js", ""}}) ==
               "web/../x.js: not a plain relative path");
}

BOOST_AUTO_TEST_SUITE_END()
