#define BOOST_TEST_MODULE backupd unit tests
#include <boost/test/unit_test.hpp>
