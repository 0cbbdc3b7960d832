#pragma once

#include "config.hpp"

namespace backupd::daemon {

// Each returns the process exit status; failures are logged as one line first.
int run_migrate(const Config& config);
int run_serve(const Config& config);
int run_snapshot(const Config& config, const std::string& folder);
// `backupd verify SNAPSHOT_DIR` takes no configuration: it parses its own arguments (argv[1] is
// "verify") and prints to stdout. Exit 0 intact, 1 mismatch, 2 usage or no manifest.
int run_verify(int argc, char* argv[]);

}  // namespace backupd::daemon
