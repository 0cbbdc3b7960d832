// Fuzz target: the --database URL (store::parse_database_url). Findings: a crash or sanitizer
// report, any exception but std::invalid_argument (whose message has its fixed prefix), a
// redacted form that depends on the password, and an accepted URL missing what its backend needs.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "backupd/store/database_url.hpp"

namespace {

using namespace backupd;

[[noreturn]] void finding(const char* what, std::string_view input) {
    std::fprintf(stderr, "fuzz_database_url: %s: %.*s\n", what, static_cast<int>(input.size()),
                 input.data());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& fallback : {std::optional<std::string>{}, std::optional<std::string>{"pw"}}) {
        store::DatabaseUrl url;
        try {
            url = store::parse_database_url(text, fallback);
        } catch (const std::invalid_argument& e) {
            const std::string_view message = e.what();
            if (!message.starts_with("invalid database URL: "))
                finding("message without its prefix", text);
            continue;
        }
        if (url.backend == store::Backend::sqlite) {
            if (url.sqlite_path.empty() || url.sqlite_path.find('\0') != std::string::npos)
                finding("sqlite URL accepted with an empty path or a NUL", text);
            continue;
        }
        if (url.user.empty() || url.host.empty() || url.database.empty() || url.port == 0)
            finding("mysql URL accepted without user, host, database or port", text);
        // The redacted form is for logs: it never depends on the password. (Checking that it
        // does not contain the password gives false findings: a password such as
        // "//u@h:3306/d" may be spelt by the other parts.)
        store::DatabaseUrl other = url;
        other.password = url.password + "x";
        if (url.redacted() != other.redacted()) finding("redacted URL shows the password", text);
    }
    return 0;
}
