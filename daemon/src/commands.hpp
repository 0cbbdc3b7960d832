#pragma once

#include "config.hpp"

namespace backupd::daemon {

// Each returns the process exit status; failures are logged as one line first.
int run_migrate(const Config& config);
int run_serve(const Config& config);
int run_snapshot(const Config& config, const std::string& folder);

}  // namespace backupd::daemon
