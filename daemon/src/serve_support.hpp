#pragma once
// Small pieces of `serve` (serve_command.cpp) that are not its start-up sequence.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "backupd/api/router.hpp"
#include "backupd/api/tls_context.hpp"
#include "backupd/api/token_set.hpp"
#include "backupd/copy/unique_fd.hpp"
#include "config.hpp"

namespace backupd::daemon {

// The API tokens; throws std::runtime_error when listening beyond loopback without any (and
// without --insecure-no-auth).
api::TokenSet load_tokens(const Config& config);

// `config` with every secret's file (--api-token-file, --tls-cert, --tls-key) given as
// `credential:NAME` resolved to NAME inside `credentials_directory` (systemd's
// $CREDENTIALS_DIRECTORY; nullptr when unset). Throws std::runtime_error naming the option when
// such a value cannot be resolved (no directory, or NAME empty or not a plain file name).
Config resolve_credentials(Config config, const char* credentials_directory);

// The TLS files of `config`; throws std::runtime_error naming the missing flag when only one
// of --tls-cert and --tls-key is given.
api::TlsFiles tls_files(const Config& config);

// Refuses (std::runtime_error naming --insecure-no-tls) to listen beyond loopback in plain
// HTTP unless --insecure-no-tls says a proxy in front ends TLS. Returns true when plain HTTP
// beyond loopback is allowed that way, which the caller logs as a warning. The token rule is
// load_tokens()'s.
bool check_tls_rule(const Config& config);

// Opens (creating if needed, with a warning) a root directory: `role` is "source" or "restore"
// for the log. Throws std::system_error.
copy::UniqueFd open_root(const std::filesystem::path& path, std::string_view role);

// Writes `address` to `file` through a rename, so a reader never sees half of it.
void write_port_file(const std::filesystem::path& file, const std::string& address);

// Blocks until SIGTERM or SIGINT and returns it, calling `on_reload` (on this thread) for each
// SIGHUP meanwhile. main() blocks the three in every thread first.
int wait_for_stop_signal(const std::function<void()>& on_reload);

// Every route of `routes`, answering 503 (database_unavailable, "starting") while
// `recovering()` is true, except GET /readyz, which says so itself. Before recovery is done
// the schema may be missing and jobs may still be leased to this node's previous run.
api::Router gate_until_recovered(api::Router routes, const std::function<bool()>& recovering);

}  // namespace backupd::daemon
