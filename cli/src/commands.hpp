#pragma once
// The commands: each turns an Invocation into requests and output through the Context. Thin:
// parsing, formatting and exit decisions are the plain functions of args, progress and
// exit_status.

#include "args.hpp"
#include "exit_status.hpp"
#include "output.hpp"

namespace backupd::cli {

// Runs a parsed command (not "help"). Throws TransportError when the server cannot be reached,
// UsageError for an argument found wrong only now (a job id that is not a number).
ExitStatus run_command(const Invocation& invocation, Context& context);

// Each module's commands; run_command dispatches to them.
ExitStatus run_job_command(const Invocation& invocation, Context& context);
ExitStatus run_snapshot_command(const Invocation& invocation, Context& context);
ExitStatus run_plan_command(const Invocation& invocation, Context& context);

// Waits until every job has ended, drawing progress (job_wait.cpp); returns the worst of their
// exit statuses. With --json, prints the jobs' final JSON (one object, or {"jobs": [...]}).
ExitStatus wait_for_jobs(Context& context, const std::vector<std::int64_t>& ids);

// A positive whole number (a job or snapshot id); throws UsageError naming what.
std::int64_t parse_id(const std::string& text, const std::string& what);

// Prints jobs as a table (id, kind, folder, state, progress, submitted, error).
void print_jobs(std::ostream& out, const rapidjson::Value& jobs);

}  // namespace backupd::cli
