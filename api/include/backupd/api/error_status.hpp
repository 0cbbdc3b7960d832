#pragma once
// The answer to a core::Error that escaped a handler: its code decides the status (core/error.hpp).

#include "backupd/api/http_message.hpp"
#include "backupd/core/error.hpp"

namespace backupd::api {

// The code's status; the message is the error's public one, except for codes whose answer
// must not carry it (database_unavailable, internal_error use their fixed text). The detail
// stays in the log.
HttpResponse error_for(const core::Error& error);

}  // namespace backupd::api
