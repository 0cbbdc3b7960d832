#include "backupd/api/error_status.hpp"

#include "backupd/api/json.hpp"

namespace backupd::api {

HttpResponse error_for(const core::Error& error) {
    switch (error.code()) {
        case core::ErrorCode::database_unavailable:
        case core::ErrorCode::internal_error: return error_response(error.code());
        default: return error_response(error.code(), error.what());
    }
}

}  // namespace backupd::api
