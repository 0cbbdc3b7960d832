// The start-up rules of `serve` that need no server: TLS both-or-neither, plain HTTP beyond
// loopback only with --insecure-no-tls, and credential:NAME resolved in systemd's
// $CREDENTIALS_DIRECTORY.
#include "serve_support.hpp"

#include <stdexcept>
#include <string>

#include <boost/test/unit_test.hpp>

using namespace backupd::daemon;

namespace {

Config listening_on(const std::string& host) {
    Config config;
    config.listen_host = host;
    return config;
}

template <typename Call>
std::string error_of(Call call) {
    try {
        call();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(serve_support)

BOOST_AUTO_TEST_CASE(tls_needs_both_files_and_names_the_missing_flag) {
    Config config;
    config.tls_cert = "cert.pem";
    BOOST_TEST(error_of([&] { tls_files(config); }) ==
               "--tls-cert needs --tls-key (the certificate's private key)");
    config.tls_cert.clear();
    config.tls_key = "key.pem";
    BOOST_TEST(contains(error_of([&] { tls_files(config); }), "--tls-key needs --tls-cert"));
    config.tls_cert = "cert.pem";
    const auto files = tls_files(config);
    BOOST_TEST(files.enabled());
    BOOST_TEST(files.cert == "cert.pem");
    BOOST_TEST(files.key == "key.pem");
    BOOST_TEST(!tls_files(Config{}).enabled());
}

BOOST_AUTO_TEST_CASE(plain_http_beyond_loopback_needs_insecure_no_tls) {
    // Loopback: plain HTTP is fine and nothing to warn about.
    BOOST_TEST(!check_tls_rule(listening_on("127.0.0.1")));
    BOOST_TEST(!check_tls_rule(listening_on("::1")));
    // Beyond loopback without TLS: refused, naming the way out.
    const std::string error = error_of([] { check_tls_rule(listening_on("0.0.0.0")); });
    BOOST_TEST(contains(error, "refusing to listen on 0.0.0.0 in plain HTTP"), error);
    BOOST_TEST(contains(error, "--insecure-no-tls"), error);
    BOOST_TEST(
        contains(error_of([] { check_tls_rule(listening_on("10.1.2.3")); }), "--insecure-no-tls"));
    // With TLS: allowed, no warning.
    Config tls = listening_on("0.0.0.0");
    tls.tls_cert = "cert.pem";
    tls.tls_key = "key.pem";
    BOOST_TEST(!check_tls_rule(tls));
    // Half of TLS is still an error, not plain HTTP.
    tls.tls_key.clear();
    BOOST_TEST(contains(error_of([&] { check_tls_rule(tls); }), "--tls-cert needs --tls-key"));
    // --insecure-no-tls: allowed, and the caller is told to warn.
    Config proxied = listening_on("0.0.0.0");
    proxied.insecure_no_tls = true;
    BOOST_TEST(check_tls_rule(proxied));
}

BOOST_AUTO_TEST_CASE(credential_values_resolve_inside_the_credentials_directory) {
    Config config;
    config.tls_cert = "credential:tls.crt";
    config.tls_key = "credential:tls.key";
    config.api_token_file = "/etc/backupd/tokens";  // an ordinary path is left alone
    const Config resolved = resolve_credentials(config, "/run/credentials/backupd.service");
    BOOST_TEST(resolved.tls_cert == "/run/credentials/backupd.service/tls.crt");
    BOOST_TEST(resolved.tls_key == "/run/credentials/backupd.service/tls.key");
    BOOST_TEST(resolved.api_token_file == "/etc/backupd/tokens");

    Config tokens;
    tokens.api_token_file = "credential:tokens";
    BOOST_TEST(resolve_credentials(tokens, "/run/c").api_token_file == "/run/c/tokens");
    // Without the directory, or with a name that would leave it: refused, naming the option.
    BOOST_TEST(contains(error_of([&] { resolve_credentials(tokens, nullptr); }),
                        "--api-token-file credential:tokens: $CREDENTIALS_DIRECTORY is not set"));
    tokens.api_token_file = "credential:../etc/shadow";
    BOOST_TEST(contains(error_of([&] { resolve_credentials(tokens, "/run/c"); }),
                        "must be a plain file name"));
    tokens.api_token_file = "credential:";
    BOOST_TEST(contains(error_of([&] { resolve_credentials(tokens, "/run/c"); }),
                        "must be a plain file name"));
}

BOOST_AUTO_TEST_SUITE_END()
