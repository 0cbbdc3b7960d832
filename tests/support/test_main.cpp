// The Boost.Test module of every integration test binary: before any test runs, skip or fail
// when the backend under test is unavailable (see scratch_database.hpp).
#define BOOST_TEST_MODULE backupd integration tests
#include <boost/test/unit_test.hpp>
#include <spdlog/spdlog.h>

#include "scratch_database.hpp"

namespace {

struct RequireBackend {
    RequireBackend() {
        // spdlog's registry is made on first use inside the shared libspdlog, which TSan does
        // not see; made here, before any test starts a thread, as the daemon's main() does.
        spdlog::default_logger();
        backupd::testing::require_backend_or_skip();
    }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(RequireBackend);
