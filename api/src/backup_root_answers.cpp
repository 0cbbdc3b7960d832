#include "backupd/api/backup_root_answers.hpp"

#include <array>
#include <sstream>

#include "backupd/api/json.hpp"

namespace backupd::api {
namespace {

// The codes a backup root can be reported with, each a series of the code-labelled families.
constexpr std::array<core::ErrorCode, 3> kRootCodes = {core::ErrorCode::backup_disk_full,
                                                       core::ErrorCode::backup_root_read_only,
                                                       core::ErrorCode::snapshot_write_failed};

void family(std::ostringstream& out, std::string_view name, std::string_view help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n";
}

void by_code(std::ostringstream& out, std::string_view name,
             const std::optional<core::ErrorCode>& code) {
    for (const auto each : kRootCodes) {
        out << name << "{code=\"" << core::to_string(each) << "\"} " << (code == each ? 1 : 0)
            << '\n';
    }
}

}  // namespace

std::optional<HttpResponse> backup_root_unready(const core::BackupRootState& state) {
    if (!state.problem) return std::nullopt;
    HttpResponse response = error_response(*state.problem, state.message);
    response.status = 503;  // not ready, whatever status the code has on a job
    return response;
}

std::string render_backup_root_metrics(const core::BackupRootState& state) {
    std::ostringstream out;
    if (state.free_bytes) {
        family(out, "backupd_backup_root_free_bytes",
               "Bytes still free for backupd on the backup root's file system.");
        out << "backupd_backup_root_free_bytes " << *state.free_bytes << '\n';
    }
    if (state.size_bytes) {
        family(out, "backupd_backup_root_size_bytes", "Size of the backup root's file system.");
        out << "backupd_backup_root_size_bytes " << *state.size_bytes << '\n';
    }
    family(out, "backupd_backup_root_writable", "1 when backupd may write the backup root.");
    out << "backupd_backup_root_writable " << (state.writable ? 1 : 0) << '\n';
    family(out, "backupd_backup_root_problem",
           "1 for the code that keeps the backup root from taking backups now (/readyz 503).");
    by_code(out, "backupd_backup_root_problem", state.problem);
    family(out, "backupd_backup_root_last_fault",
           "1 for the code of the last backup that failed on the backup root, until a snapshot "
           "commits.");
    by_code(out, "backupd_backup_root_last_fault", state.last_fault);
    return out.str();
}

}  // namespace backupd::api
