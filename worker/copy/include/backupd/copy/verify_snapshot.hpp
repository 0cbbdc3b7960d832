#pragma once
// Checking a snapshot against its manifest: every regular file re-read and its digest compared,
// every other entry's type, size, mode and link target compared, and entries missing from disk
// or extra on it reported. Used by verify jobs and by `backupd verify SNAPSHOT_DIR` (offline).

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string_view>

#include "backupd/copy/filesystem.hpp"
#include "backupd/core/job.hpp"

namespace backupd::copy {

struct VerifyOptions {
    unsigned threads = 4;  // files read at once
    std::stop_token stop;
    // Called from any verify thread at most every `progress_interval`: files and bytes checked
    // so far, and the totals from the manifest.
    std::function<void(const core::Progress&)> on_progress;
    std::chrono::milliseconds progress_interval{200};
};

// Verifies the snapshot directory `snapshot` against the manifest open at `manifest` (both
// borrowed descriptors). nullopt: stopped. Throws ManifestError when the manifest itself does not
// check (the caller reports no_manifest), std::system_error when the disk fails.
std::optional<core::VerifyReport> verify_snapshot(
    int snapshot, int manifest, const VerifyOptions& options,
    const Filesystem& filesystem = system_filesystem());

}  // namespace backupd::copy
