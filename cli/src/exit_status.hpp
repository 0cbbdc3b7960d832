#pragma once
// backupctl's exit statuses (documented in `backupctl --help` and docs/man/backupctl.1):
//   0 success; 1 a job failed or was cancelled, or the server refused the request as wrong
//   (400, 404, 409, 413, 415: a value it does not accept, an unknown id, a conflict);
//   2 usage error; 3 server unreachable, TLS failure, or a refusal to serve (401, 403, 429, 5xx).

#include <string>

namespace backupd::cli {

enum class ExitStatus { success = 0, failed = 1, usage = 2, unavailable = 3 };

// The exit status of an HTTP answer. A 5xx that carries a job (the short forms answer a job's own
// failure that way) is decided by the job's state instead: see exit_for_job_state.
ExitStatus exit_for_http_status(int status);

// The exit status of a job once waiting is over: succeeded 0; failed or cancelled 1; still
// queued or running (the wait ended early) 0, since the request itself was accepted.
ExitStatus exit_for_job_state(const std::string& state);

// The worse of two statuses, for several jobs or requests in one command (unavailable > failed
// > success; usage never arises after parsing).
ExitStatus worst(ExitStatus a, ExitStatus b);

}  // namespace backupd::cli
