#include "serve_support.hpp"

#include <csignal>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "backupd/api/json.hpp"

namespace backupd::daemon {

api::TokenSet load_tokens(const Config& config) {
    if (!config.api_token_file.empty()) return api::TokenSet::load(config.api_token_file);
    if (!is_loopback(config.listen_host) && !config.insecure_no_auth) {
        throw std::runtime_error("refusing to listen on " + config.listen_host +
                                 " without API tokens: give --api-token-file, or "
                                 "--insecure-no-auth if this network is trusted");
    }
    return {};
}

namespace {

constexpr std::string_view kCredentialPrefix = "credential:";

std::filesystem::path resolve_credential(const std::filesystem::path& value, const char* option,
                                         const char* directory) {
    const std::string text = value.string();
    if (text.rfind(kCredentialPrefix, 0) != 0) return value;
    const std::string name = text.substr(kCredentialPrefix.size());
    if (directory == nullptr || *directory == '\0') {
        throw std::runtime_error(std::string("--") + option + " " + text +
                                 ": $CREDENTIALS_DIRECTORY is not set (systemd sets it for a "
                                 "unit with LoadCredential=)");
    }
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
        throw std::runtime_error(std::string("--") + option + " " + text +
                                 ": the credential name must be a plain file name");
    }
    return std::filesystem::path(directory) / name;
}

}  // namespace

Config resolve_credentials(Config config, const char* credentials_directory) {
    config.api_token_file =
        resolve_credential(config.api_token_file, "api-token-file", credentials_directory);
    config.tls_cert = resolve_credential(config.tls_cert, "tls-cert", credentials_directory);
    config.tls_key = resolve_credential(config.tls_key, "tls-key", credentials_directory);
    return config;
}

api::TlsFiles tls_files(const Config& config) {
    if (!config.tls_cert.empty() && config.tls_key.empty())
        throw std::runtime_error("--tls-cert needs --tls-key (the certificate's private key)");
    if (config.tls_cert.empty() && !config.tls_key.empty())
        throw std::runtime_error("--tls-key needs --tls-cert (the certificate it belongs to)");
    return api::TlsFiles{config.tls_cert, config.tls_key};
}

bool check_tls_rule(const Config& config) {
    if (is_loopback(config.listen_host) || tls_files(config).enabled()) return false;
    if (!config.insecure_no_tls) {
        throw std::runtime_error("refusing to listen on " + config.listen_host +
                                 " in plain HTTP: give --tls-cert and --tls-key, or "
                                 "--insecure-no-tls if a TLS proxy in front ends TLS");
    }
    return true;
}

copy::UniqueFd open_root(const std::filesystem::path& path, std::string_view role) {
    if (!std::filesystem::exists(path)) {
        std::filesystem::create_directories(path);
        spdlog::warn("event={}_root_created path=\"{}\"", role, path.string());
    }
    copy::UniqueFd root(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot open the " + std::string(role) + " root " + path.string());
    }
    return root;
}

void write_port_file(const std::filesystem::path& file, const std::string& address) {
    const auto temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << address << "\n";
        if (!out) throw std::runtime_error("cannot write the port file " + file.string());
    }
    std::filesystem::rename(temporary, file);
}

int wait_for_stop_signal(const std::function<void()>& on_reload) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    for (;;) {
        int received = 0;
        sigwait(&signals, &received);
        if (received != SIGHUP) return received;
        on_reload();
    }
}

api::Router gate_until_recovered(api::Router routes, const std::function<bool()>& recovering) {
    // The gate matches the same (method, pattern) pairs, then lets the inner router match the
    // request again, so 404 and 405 (with Allow) answer as before.
    const auto inner = std::make_shared<const api::Router>(std::move(routes));
    api::Router gated;
    for (const std::string& route : inner->routes()) {
        const auto space = route.find(' ');
        std::string method = route.substr(0, space);
        std::string path = route.substr(space + 1);
        const bool readiness = method == "GET" && path == "/readyz";
        gated.add(std::move(method), std::move(path),
                  [inner, recovering, readiness](const api::HttpRequest& request) {
                      if (!readiness && recovering()) {
                          return api::error_response(
                              core::ErrorCode::database_unavailable,
                              "The daemon is starting (start-up recovery); try again shortly");
                      }
                      return inner->route(request);
                  });
    }
    return gated;
}

}  // namespace backupd::daemon
