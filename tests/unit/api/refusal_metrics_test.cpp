// backupd_http_refused_total: refusals by reason on the /metrics page.
#include <boost/test/unit_test.hpp>

#include "backupd/api/metrics.hpp"

using namespace backupd::api;

namespace {
bool has_line(const std::string& page, const std::string& line) {
    return ("\n" + page).find("\n" + line + "\n") != std::string::npos;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(refusal_metrics)

BOOST_AUTO_TEST_CASE(refusals_are_counted_by_reason_with_every_reason_shown) {
    RequestMetrics metrics;
    const std::string before = render_metrics(metrics, std::nullopt);
    BOOST_TEST(has_line(before, "# TYPE backupd_http_refused_total counter"));
    BOOST_TEST(has_line(before, R"(backupd_http_refused_total{reason="connections"} 0)"));
    BOOST_TEST(has_line(before, R"(backupd_http_refused_total{reason="queue"} 0)"));
    BOOST_TEST(has_line(before, R"(backupd_http_refused_total{reason="rate_limit"} 0)"));

    metrics.record_refusal(Refusal::queue);
    metrics.record_refusal(Refusal::queue);
    metrics.record_refusal(Refusal::rate_limit);
    const std::string after = render_metrics(metrics, std::nullopt);
    BOOST_TEST(has_line(after, R"(backupd_http_refused_total{reason="connections"} 0)"));
    BOOST_TEST(has_line(after, R"(backupd_http_refused_total{reason="queue"} 2)"));
    BOOST_TEST(has_line(after, R"(backupd_http_refused_total{reason="rate_limit"} 1)"));
    BOOST_TEST(metrics.refusals(Refusal::connections) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
