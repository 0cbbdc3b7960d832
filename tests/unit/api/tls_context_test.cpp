// make_tls_context: a valid pair loads with the project's policy; every bad file is refused
// with a message naming the file and the problem. The PEM fixtures are self-signed P-256
// pairs made for this test (openssl req -x509 -newkey ec, valid for a century).
#include "backupd/api/tls_context.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/test/unit_test.hpp>
#include <openssl/ssl.h>

using namespace backupd::api;

namespace {

constexpr const char* kCertA = R"(-----BEGIN CERTIFICATE-----
MIIBeTCCAR+gAwIBAgIUEWHdECpcY0HdewBtsXUNGvUNOCUwCgYIKoZIzj0EAwIw
ETEPMA0GA1UEAwwGdW5pdC1hMCAXDTI2MTIwMjE3MzEwOVoYDzIxMjYxMTA4MTcz
MTA5WjARMQ8wDQYDVQQDDAZ1bml0LWEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AAQinGAMcg4NYgY4vFBWr8iKDVhyktvIftEy4SwmJoz+OVhCnGwilnAK3NplLDw4
kgtRsC0369lvVzVIFL1ckYXPo1MwUTAdBgNVHQ4EFgQUGVm0HXta8WNyO9ySyS89
vYwsNZ8wHwYDVR0jBBgwFoAUGVm0HXta8WNyO9ySyS89vYwsNZ8wDwYDVR0TAQH/
BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAyljD+YU0aXYVUCDEsThvgfx/t2Ew
ixGCyrx+ewihLQcCICBr6NGyV4oQOhqgHeQsE/t7qmP5r2/TP4OVC5UjAutR
-----END CERTIFICATE-----
)";

constexpr const char* kKeyA = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghqJNThdvf11hZzq7
bA39kYlOwBoJQfeMoNFVA/vVJ+mhRANCAAQinGAMcg4NYgY4vFBWr8iKDVhyktvI
ftEy4SwmJoz+OVhCnGwilnAK3NplLDw4kgtRsC0369lvVzVIFL1ckYXP
-----END PRIVATE KEY-----
)";

constexpr const char* kKeyB = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXep6PxGh/MI+qJIn
gm/nWQjt5TE5zwvKAAiE5kMaRiChRANCAATiWQcSrq5Ob3UWlCrlZE3C7YOmDUrn
yHya7Z7rAeAfO2W+nMU9HamZB3ofR5irHzeP3VvgsVwojf66GrdDzSnF
-----END PRIVATE KEY-----
)";

// kKeyA, encrypted with a passphrase: refused, never prompted for.
constexpr const char* kEncryptedKeyA = R"(-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjK6IiRxWhVkgICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEB1Gg3dNNIETdbQUMCFpGbIEgZD6
hnI1k6DdrwgNbKPVtGwU2IKCSAFIA93CPThMxxApb+QgGmtja1DISCyOmT6EzF0e
X+OYLG922CuFw4yKs+om18+fLylc0RzUlCQKvhqJADNy7lNxloSryVYwHrtOZgic
a0avAsPWQaU6t+kDdvjPi4LbYBi+JtmJR3yk6nF+bSXNWLIKlzJSWtMBFOEGm+E=
-----END ENCRYPTED PRIVATE KEY-----
)";

struct TlsFixture {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("backupd-tls-test-" + std::to_string(::getpid()));
    TlsFixture() { std::filesystem::create_directories(dir); }
    ~TlsFixture() { std::filesystem::remove_all(dir); }

    std::filesystem::path write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return dir / name;
    }
    // make_tls_context's message for `files`, or "" when it loaded.
    static std::string error_of(const TlsFiles& files) {
        try {
            make_tls_context(files);
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "";
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tls_context, TlsFixture)

BOOST_AUTO_TEST_CASE(a_valid_pair_loads_with_tls_1_2_as_the_floor) {
    const auto context = make_tls_context({write("cert.pem", kCertA), write("key.pem", kKeyA)});
    BOOST_REQUIRE(context);
    SSL_CTX* native = context->native_handle();
    BOOST_TEST(SSL_CTX_get_min_proto_version(native) == TLS1_2_VERSION);
    BOOST_TEST((SSL_CTX_get_options(native) & SSL_OP_NO_RENEGOTIATION) != 0u);
    BOOST_TEST((SSL_CTX_get_options(native) & SSL_OP_NO_COMPRESSION) != 0u);
    BOOST_TEST(SSL_CTX_check_private_key(native) == 1);
    // Only ECDHE + AEAD suites for TLS 1.2 (TLS 1.3's are AEAD by design).
    SSL* ssl = SSL_new(native);
    const STACK_OF(SSL_CIPHER)* ciphers = SSL_get_ciphers(ssl);
    for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
        const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
        const std::string name = SSL_CIPHER_get_name(cipher);
        if (name.rfind("TLS_", 0) == 0) continue;  // a TLS 1.3 suite
        BOOST_TEST(name.rfind("ECDHE-", 0) == 0, name);
        BOOST_TEST(SSL_CIPHER_is_aead(cipher) == 1, name);
    }
    SSL_free(ssl);
}

BOOST_AUTO_TEST_CASE(a_key_of_another_certificate_is_refused) {
    const auto cert = write("cert.pem", kCertA);
    const auto key = write("other.pem", kKeyB);
    const std::string error = error_of({cert, key});
    BOOST_TEST(contains(error, "the TLS key file " + key.string() +
                                   " does not match the certificate in " + cert.string()),
               error);
}

BOOST_AUTO_TEST_CASE(garbage_and_swapped_files_are_refused_naming_the_file) {
    const auto cert = write("cert.pem", kCertA);
    const auto key = write("key.pem", kKeyA);
    const auto garbage = write("garbage.pem", "not a certificate\n");
    std::string error = error_of({garbage, key});
    BOOST_TEST(contains(error, "the TLS certificate file " + garbage.string() +
                                   " holds no PEM certificate"),
               error);
    error = error_of({cert, garbage});
    BOOST_TEST(
        contains(error, "the TLS key file " + garbage.string() + " holds no unencrypted PEM"),
        error);
    error = error_of({key, cert});  // swapped: a key is no certificate
    BOOST_TEST(contains(error, "holds no PEM certificate"), error);
}

BOOST_AUTO_TEST_CASE(an_encrypted_key_is_refused_without_a_prompt) {
    const auto cert = write("cert.pem", kCertA);
    const auto key = write("encrypted.pem", kEncryptedKeyA);
    const std::string error = error_of({cert, key});
    BOOST_TEST(contains(error, "the TLS key file " + key.string() + " holds no unencrypted PEM"),
               error);
}

BOOST_AUTO_TEST_CASE(missing_files_are_refused_with_the_system_error) {
    const auto key = write("key.pem", kKeyA);
    const auto missing = dir / "missing.pem";
    const std::string error = error_of({missing, key});
    BOOST_TEST(error == "cannot read the TLS certificate file " + missing.string() +
                            ": No such file or directory");
    BOOST_TEST(contains(error_of({write("cert.pem", kCertA), missing}),
                        "cannot read the TLS key file " + missing.string()));
    BOOST_TEST(contains(error_of({"", key.string()}), "both a certificate file and a key file"));
}

BOOST_AUTO_TEST_CASE(the_slot_swaps_for_new_users_and_old_users_keep_theirs) {
    TlsContextSlot slot;
    BOOST_TEST(!slot.current());
    const auto first = make_tls_context({write("cert.pem", kCertA), write("key.pem", kKeyA)});
    slot.replace(first);
    const TlsContextPtr held = slot.current();  // a connection started before the reload
    slot.replace(make_tls_context({dir / "cert.pem", dir / "key.pem"}));
    BOOST_TEST((slot.current() != first));
    BOOST_TEST((held == first));
    BOOST_TEST(SSL_CTX_check_private_key(held->native_handle()) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
