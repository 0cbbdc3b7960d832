#pragma once
// A migrated scratch database plus a scratch source root and backup root on disk, for tests
// that run real workers.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "backupd/copy/backup_root_scan.hpp"
#include "backupd/copy/snapshot.hpp"
#include "queue_fixture.hpp"
#include "temp_tree.hpp"

namespace backupd::testing {

struct WorkerFixture : QueueFixture {
    test::TempTree scratch_directory;  // removed however read-only its snapshots are
    std::filesystem::path sources = scratch_directory.path() / "sources";
    std::filesystem::path backups = scratch_directory.path() / "backups";
    int source_root = -1;
    copy::BackupRoot backup_root = copy::BackupRoot::open(backups.string());

    WorkerFixture() {
        std::filesystem::create_directories(sources);
        source_root = ::open(sources.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    ~WorkerFixture() { ::close(source_root); }

    // Writes `files` files of `bytes` bytes each into sources/<folder>/ (in two directories).
    void make_folder(const std::string& folder, int files, std::size_t bytes = 100) {
        for (int i = 0; i < files; ++i) {
            const auto directory = sources / folder / (i % 2 ? "odd" : "even");
            std::filesystem::create_directories(directory);
            std::ofstream(directory / ("file-" + std::to_string(i)))
                << std::string(bytes, 'a' + i % 26);
        }
    }

    copy::BackupRootContents backup_contents() const {
        return copy::scan_backup_root(backup_root.fd());
    }

    // diff -r --no-dereference: true when the snapshot equals the source folder.
    bool same_tree(const std::string& folder, const std::string& snapshot) const {
        const std::string command = "diff -r --no-dereference '" + (sources / folder).string() +
                                    "' '" + (backups / snapshot).string() + "' >/dev/null";
        return std::system(command.c_str()) == 0;
    }

    std::size_t backup_records_for(core::JobId id) {
        std::size_t count = 0;
        for (const auto& record : all_audit_records()) {
            if (record.action == core::AuditAction::backup && record.job_id == id) ++count;
        }
        return count;
    }
};

}  // namespace backupd::testing
