#pragma once
// One error kind decides the HTTP status (STYLE.md): the mapping from core errors to answers.

#include "backupd/api/http_message.hpp"
#include "backupd/core/error.hpp"
#include "backupd/core/job.hpp"

namespace backupd::api {

// transient -> 503 database_unavailable, conflict -> 409, not_found -> 404, internal -> 500.
// The message is the error's public one; the detail stays in the log.
HttpResponse error_for(const core::Error& error);

// The status of a request rejected for its folder: 404 when it does not exist, 403 when it
// may not be read or leads outside the root, 400 for a bad name or a file.
int status_for_folder_error(const core::JobError& error);

}  // namespace backupd::api
