#pragma once
// Small pieces of `serve` (serve_command.cpp) that are not its start-up sequence.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "backupd/api/router.hpp"
#include "backupd/api/token_set.hpp"
#include "backupd/copy/unique_fd.hpp"
#include "config.hpp"

namespace backupd::daemon {

// The API tokens; throws std::runtime_error when listening beyond loopback without any (and
// without --insecure-no-auth).
api::TokenSet load_tokens(const Config& config);

// Opens (creating if needed, with a warning) a root directory: `role` is "source" or "restore"
// for the log. Throws std::system_error.
copy::UniqueFd open_root(const std::filesystem::path& path, std::string_view role);

// Writes `address` to `file` through a rename, so a reader never sees half of it.
void write_port_file(const std::filesystem::path& file, const std::string& address);

// Blocks until SIGTERM or SIGINT and returns it. main() blocks both in every thread first.
int wait_for_stop_signal();

// Every route of `routes`, answering 503 (database_unavailable, "starting") while
// `recovering()` is true, except GET /readyz, which says so itself. Before recovery is done
// the schema may be missing and jobs may still be leased to this node's previous run.
api::Router gate_until_recovered(api::Router routes, const std::function<bool()>& recovering);

}  // namespace backupd::daemon
