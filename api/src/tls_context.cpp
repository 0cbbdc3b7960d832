#include "backupd/api/tls_context.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace backupd::api {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2: forward secrecy (ECDHE) and AEAD only. TLS 1.3 suites are OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// The oldest queued OpenSSL error as text (and clears the queue), or `fallback`.
std::string openssl_error(const char* fallback) {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return fallback;
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<std::FILE, FileCloser> open_file(const std::filesystem::path& path,
                                                 const char* role) {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        throw std::runtime_error("cannot read the TLS " + std::string(role) + " file " +
                                 path.string() + ": " + std::strerror(errno));
    }
    return file;
}

// Answers every passphrase prompt with "none": an encrypted key is refused, never asked for.
int no_passphrase(char*, int, int, void*) {
    return 0;
}

std::unique_ptr<EVP_PKEY, KeyFree> read_key(const std::filesystem::path& path) {
    const auto file = open_file(path, "key");
    std::unique_ptr<EVP_PKEY, KeyFree> key(
        PEM_read_PrivateKey(file.get(), nullptr, no_passphrase, nullptr));
    if (!key) {
        throw std::runtime_error("the TLS key file " + path.string() +
                                 " holds no unencrypted PEM private key (" +
                                 openssl_error("no PEM data") + ")");
    }
    return key;
}

void apply_policy(SSL_CTX* native) {
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(
        native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
        throw std::runtime_error("the TLS 1.2 cipher list is refused: " +
                                 openssl_error("unknown error"));
    }
}

}  // namespace

TlsContextPtr make_tls_context(const TlsFiles& files) {
    if (files.cert.empty() || files.key.empty())
        throw std::runtime_error("TLS needs both a certificate file and a key file");
    ERR_clear_error();
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = context->native_handle();
    apply_policy(native);
    open_file(files.cert, "certificate");  // a precise message for a missing or unreadable file
    if (SSL_CTX_use_certificate_chain_file(native, files.cert.c_str()) != 1) {
        throw std::runtime_error("the TLS certificate file " + files.cert.string() +
                                 " holds no PEM certificate (" + openssl_error("no PEM data") +
                                 ")");
    }
    const auto key = read_key(files.key);
    X509* cert = SSL_CTX_get0_certificate(native);
    if (cert == nullptr || X509_check_private_key(cert, key.get()) != 1) {
        ERR_clear_error();
        throw std::runtime_error("the TLS key file " + files.key.string() +
                                 " does not match the certificate in " + files.cert.string());
    }
    if (SSL_CTX_use_PrivateKey(native, key.get()) != 1) {
        throw std::runtime_error("the TLS key file " + files.key.string() + " is refused (" +
                                 openssl_error("unknown error") + ")");
    }
    return context;
}

}  // namespace backupd::api
