// `backupd snapshot`: one snapshot with the same engine as the workers, without database or
// server (docs/design.md section 9). For one-off backups and for benchmarks.
#include <chrono>
#include <iostream>
#include <stdexcept>

#include <fcntl.h>

#include <spdlog/spdlog.h>

#include "backupd/copy/snapshot.hpp"
#include "backupd/copy/unique_fd.hpp"
#include "commands.hpp"

namespace backupd::daemon {
namespace {

copy::UniqueFd open_source_root(const std::filesystem::path& path) {
    copy::UniqueFd root(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot open the source root " + path.string());
    }
    return root;
}

void log_progress(const copy::CopyProgress& progress) {
    spdlog::info(
        "event=snapshot_progress files_copied={} files_linked={} bytes_copied={} "
        "files_total={} bytes_total={}",
        progress.files_copied, progress.files_linked, progress.bytes_copied,
        progress.files_total.value_or(-1), progress.bytes_total.value_or(-1));
}

}  // namespace

int run_snapshot(const Config& config, const std::string& folder) {
    if (const auto bad_name = copy::validate_folder_name(folder)) {
        spdlog::error("event=snapshot_failed error=\"{}\"", copy::describe(*bad_name));
        return 1;
    }
    const copy::UniqueFd source_root = open_source_root(config.source_root);
    const auto backup_root = copy::BackupRoot::open(config.backup_root);

    copy::CopyOptions options;
    options.threads = config.copy_threads;
    options.progress_interval = std::chrono::seconds{2};
    options.on_progress = log_progress;
    copy::SnapshotRequest request;
    request.folder = folder;
    request.taken_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

    const auto started = std::chrono::steady_clock::now();
    auto staged = copy::stage_snapshot(backup_root, source_root.get(), request, options);
    if (const auto* error = std::get_if<copy::SourceFolderError>(&staged)) {
        spdlog::error("event=snapshot_failed folder=\"{}\" error=\"{}\"", folder,
                      copy::describe(*error));
        return 1;
    }
    auto& snapshot = std::get<copy::StagedSnapshot>(staged);
    const auto& result = snapshot.result();
    if (result.status == copy::CopyStatus::aborted) {
        spdlog::error("event=snapshot_failed folder=\"{}\" error=\"{}\"", folder,
                      copy::describe(*result.problem));
        return 1;
    }
    const std::string path = snapshot.commit();
    backup_root.publish_latest(folder, path);
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto& done = result.progress;
    spdlog::info(
        "event=snapshot_done snapshot=\"{}\" files_copied={} files_linked={} "
        "bytes_copied={} skipped_special={} skipped_failed={} seconds={:.3f}",
        path, done.files_copied, done.files_linked, done.bytes_copied, done.files_skipped,
        done.files_failed, seconds);
    std::cout << (config.backup_root / path).string() << std::endl;
    return 0;
}

}  // namespace backupd::daemon
