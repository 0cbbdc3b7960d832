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

int wait_for_stop_signal() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    int received = 0;
    sigwait(&signals, &received);
    return received;
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
