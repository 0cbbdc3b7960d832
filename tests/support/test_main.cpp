// The Boost.Test module of every integration test binary: before any test runs, skip or fail
// when the backend under test is unavailable (see scratch_database.hpp).
#define BOOST_TEST_MODULE backupd integration tests
#include <boost/test/unit_test.hpp>

#include "scratch_database.hpp"

namespace {

struct RequireBackend {
    RequireBackend() { backupd::testing::require_backend_or_skip(); }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(RequireBackend);
