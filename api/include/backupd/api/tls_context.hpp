#pragma once
// The HTTP server's TLS settings: building an OpenSSL server context from a PEM certificate
// (chain) and key, and the slot that holds the context new connections use, so a reload swaps
// it while existing connections keep theirs. Cheap to include: no Asio or OpenSSL headers.
//
// Policy (one place): TLS 1.2 and 1.3 only; for 1.2 ECDHE key exchange with AEAD ciphers
// (AES-GCM, ChaCha20-Poly1305), for 1.3 OpenSSL's defaults (all AEAD); no renegotiation, no
// compression. Each context has its own session-ticket keys.

#include <filesystem>
#include <memory>
#include <mutex>

namespace boost::asio::ssl {
class context;
}

namespace backupd::api {

// Where the certificate and key are read from. Both empty: plain HTTP.
struct TlsFiles {
    std::filesystem::path cert;  // PEM: the server certificate, then any intermediates
    std::filesystem::path key;   // PEM: its unencrypted private key
    bool enabled() const { return !cert.empty() || !key.empty(); }
};

using TlsContextPtr = std::shared_ptr<boost::asio::ssl::context>;

// A server context from `files`. Throws std::runtime_error with a one-line message naming the
// file and the problem: unreadable, no PEM certificate, no (unencrypted) PEM key, or a key that
// does not match the certificate. Never prompts for a passphrase.
TlsContextPtr make_tls_context(const TlsFiles& files);

// The context for new connections. Thread-safety: every member is safe from any thread; a
// connection holds the pointer it got for as long as it lives.
class TlsContextSlot {
public:
    TlsContextPtr current() const {
        const std::lock_guard lock(mutex_);
        return context_;
    }
    // The old context lives on in the connections still using it; it is freed by the last.
    void replace(TlsContextPtr context) {
        const std::lock_guard lock(mutex_);
        context_.swap(context);
    }

private:
    mutable std::mutex mutex_;
    TlsContextPtr context_;
};

}  // namespace backupd::api
