#include "output.hpp"

#include <sstream>

#include <boost/test/unit_test.hpp>

using namespace backupd::cli;

namespace {

struct Fixture {
    HttpClient client{parse_url("http://127.0.0.1:1"), std::nullopt, std::nullopt};
    std::ostringstream out, err;
    Context context{.client = client, .out = out, .err = err};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_output)

BOOST_FIXTURE_TEST_CASE(a_refusal_carrying_a_failed_job_is_exit_one, Fixture) {
    // As the daemon answers a backup into a read-only root (api/src/json.cpp).
    const HttpResponse read_only{
        .status = 500,
        .body = R"({"error":{"code":"backup_root_read_only","message":"read-only"},)"
                R"("job":{"id":7,"state":"failed"}})"};
    BOOST_TEST(static_cast<int>(report_refusal(context, read_only)) == 1);
    BOOST_TEST(err.str().find("500 backup_root_read_only") != std::string::npos, err.str());
    const HttpResponse full{.status = 507,
                            .body = R"({"error":{"code":"backup_disk_full","message":"full"},)"
                                    R"("job":{"id":8,"state":"failed"}})"};
    BOOST_TEST(static_cast<int>(report_refusal(context, full)) == 1);
    // Without a job (or with one not failed) the status decides: the server is unwell.
    const HttpResponse plain{.status = 500,
                             .body = R"({"error":{"code":"internal","message":"x"}})"};
    BOOST_TEST(static_cast<int>(report_refusal(context, plain)) == 3);
    const HttpResponse queued{.status = 503,
                              .body = R"({"error":{"code":"busy","message":"x"},)"
                                      R"("job":{"id":9,"state":"queued"}})"};
    BOOST_TEST(static_cast<int>(report_refusal(context, queued)) == 3);
}

BOOST_FIXTURE_TEST_CASE(a_redirect_names_its_target_and_is_exit_three, Fixture) {
    const HttpResponse moved{.status = 308, .body = "", .location = "https://backup.example/"};
    BOOST_TEST(static_cast<int>(report_refusal(context, moved)) == 3);
    BOOST_TEST(err.str() ==
               "backupctl: the server answered 308, redirected to https://backup.example/; use "
               "that --url\n");
}

BOOST_FIXTURE_TEST_CASE(print_job_prints_one_row, Fixture) {
    rapidjson::Document job;
    job.Parse(R"({"id":5,"kind":"backup","folder":"docs","state":"queued"})");
    print_job(out, job);
    const auto text = out.str();
    BOOST_TEST(text.starts_with("ID"));
    BOOST_TEST(text.find("5   backup  docs    queued") != std::string::npos, text);
}

BOOST_AUTO_TEST_SUITE_END()
