#include "backupd/api/error_status.hpp"

#include "backupd/api/json.hpp"
#include "backupd/core/source_folders.hpp"

namespace backupd::api {

HttpResponse error_for(const core::Error& error) {
    switch (error.kind()) {
        case core::ErrorKind::transient:
            return error_response(503, "database_unavailable",
                                  "The database is unavailable; try again shortly");
        case core::ErrorKind::conflict: return error_response(409, "conflict", error.what());
        case core::ErrorKind::not_found: return error_response(404, "not_found", error.what());
        case core::ErrorKind::internal: break;
    }
    return error_response(500, "internal_error", "Internal error");
}

int status_for_folder_error(const core::JobError& error) {
    namespace codes = core::folder_errors;
    if (error.code == codes::no_such_directory) return 404;
    if (error.code == codes::outside_source_root || error.code == codes::symlink_in_path ||
        error.code == codes::unreadable) {
        return 403;
    }
    return 400;
}

}  // namespace backupd::api
