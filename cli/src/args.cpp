#include "args.hpp"

#include <algorithm>
#include <initializer_list>

namespace backupd::cli {
namespace {

const OptionSpec kWait{"wait", "", false, "wait for the job(s) to end, showing progress"};

// The exit statuses, shown in the overview and in the man page (docs/man/backupctl.1).
constexpr std::string_view kExitStatuses =
    "Exit status:\n"
    "  0  success (with --wait: every job succeeded)\n"
    "  1  a job failed or was cancelled, or the server refused the request itself as wrong:\n"
    "     400 (a value it does not accept), 404 (unknown job, snapshot, plan or folder),\n"
    "     409 (already finished, conflict, plan exists, pinned), 413, 415\n"
    "     (and a token or config file that cannot be read, a file -o cannot write)\n"
    "  2  usage error: unknown command or option, missing or extra argument\n"
    "  3  the server could not be reached, TLS failed, or it refused to serve:\n"
    "     401, 403 (token), 429 (too busy), 5xx other than a job's own failure\n";

}  // namespace

const std::vector<OptionSpec>& global_options() {
    static const std::vector<OptionSpec> kGlobal{
        {"url", "URL", false,
         "the daemon (default: $BACKUPD_URL, the config file, http://127.0.0.1:8080)"},
        {"token-file", "FILE", false,
         "file whose first line is the API token (default: $BACKUPD_TOKEN, the config file)"},
        {"cacert", "FILE", false,
         "PEM CA certificate(s) to verify an https server with (default: the system's)"},
        {"json", "", false, "print the API's JSON instead of tables"},
        {"help", "", false, "show help"},
    };
    return kGlobal;
}

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> kCommands{
        {"backup",
         "FOLDER...",
         1,
         kUnbounded,
         {kWait},
         "back up one or more folders (relative to the daemon's source root)",
         "Submits one job per folder and prints them. A folder the daemon refuses becomes a\n"
         "failed job (exit 1). With --wait, shows a progress bar per job until all end."},
        {"jobs",
         "",
         0,
         0,
         {{"state", "S", false, "queued, running, succeeded, failed or cancelled"},
          {"kind", "K", false, "backup, restore, verify or prune"},
          {"folder", "F", false, "only jobs of this folder"},
          {"limit", "N", false, "at most N jobs, newest first (1-1000, default 50)"}},
         "list jobs, newest first",
         ""},
        {"show", "ID", 1, 1, {}, "show one job", "Exit 1 when there is no such job (404)."},
        {"cancel",
         "ID",
         1,
         1,
         {},
         "cancel a queued or running job",
         "Exit 1 when the job has already ended (409) or does not exist (404)."},
        {"logs",
         "",
         0,
         0,
         {{"from", "D", false, "from this day (YYYY-MM-DD, UTC, inclusive) or RFC 3339 instant"},
          {"to", "D", false, "to this day (inclusive) or instant"},
          {"action", "A", false, "Backup, Restore, Verify, Prune, Schedule, Get Log or Get Stats"},
          {"status", "S", false, "SUCCESS or FAILED"},
          {"limit", "N", false, "at most N records (default: every match)"}},
         "read the audit log, oldest first",
         ""},
        {"stats", "", 0, 0, {}, "show job counts and bytes copied", ""},
        {"snapshots",
         "[FOLDER]",
         0,
         1,
         {{"limit", "N", false, "at most N (1-1000, default 100)"}},
         "list snapshots, newest first",
         ""},
        {"ls",
         "SNAPSHOT [PATH]",
         1,
         2,
         {},
         "list a directory of a snapshot",
         "SNAPSHOT is a snapshot id (the id of the backup job that made it)."},
        {"get",
         "SNAPSHOT PATH",
         2,
         2,
         {{"output", "FILE", false, "write to FILE (also -o); default: standard output"}},
         "download a file from a snapshot",
         "With -o, the file is written under a temporary name beside FILE and renamed into\n"
         "place once complete, so FILE is never half-written."},
        {"restore",
         "SNAPSHOT",
         1,
         1,
         {{"path", "P", true, "restore only this path (repeatable; default everything)"},
          {"target", "T", false, "directory beneath the daemon's restore root"},
          {"overwrite", "POLICY", false, "never (default), if-changed or always"},
          {"in-place", "", false, "restore into the source folder itself (needs --overwrite)"},
          kWait},
         "restore a snapshot (or some of its paths)",
         ""},
        {"verify",
         "SNAPSHOT",
         1,
         1,
         {kWait},
         "check a snapshot against its manifest",
         "With --wait, exit 1 when the snapshot does not match its manifest."},
        {"plans", "", 0, 0, {}, "list plans with their next run and last result", ""},
        {"plan show", "NAME", 1, 1, {}, "show one plan", ""},
        {"plan create",
         "NAME",
         1,
         1,
         {{"folder", "F", false, "the folder to back up (required)"},
          {"schedule", "S", false, "cron fields, @daily..., or \"@every 6h\" (required)"},
          {"time-zone", "Z", false, "IANA time zone of the schedule (default UTC)"},
          {"keep-last", "N", false, "keep the N newest snapshots"},
          {"keep-hourly", "N", false, "keep the newest of each of the last N hours"},
          {"keep-daily", "N", false, "... days"},
          {"keep-weekly", "N", false, "... weeks"},
          {"keep-monthly", "N", false, "... months"},
          {"keep-yearly", "N", false, "... years"},
          {"keep-within", "D", false, "keep every snapshot within D of the newest (48h, 7d)"},
          {"disabled", "", false, "create it disabled"}},
         "create a plan",
         "Exit 1 when the daemon refuses it (400 naming the field, 409 plan_exists)."},
        {"plan delete", "NAME", 1, 1, {}, "delete a plan (its jobs and snapshots stay)", ""},
        {"plan run", "NAME", 1, 1, {kWait}, "run a plan's backup now", ""},
        {"plan prune",
         "NAME",
         1,
         1,
         {{"dry-run", "", false, "only show what would be kept and why"}, kWait},
         "apply the plan's retention now",
         ""},
    };
    return kCommands;
}

const CommandSpec* find_command(std::string_view name) {
    const auto& all = commands();
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const auto& spec) { return spec.name == name; });
    return it == all.end() ? nullptr : &*it;
}

bool Invocation::has(std::string_view name) const {
    return options.find(std::string{name}) != options.end();
}

std::optional<std::string> Invocation::value(std::string_view name) const {
    const auto it = options.find(std::string{name});
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Invocation::values(std::string_view name) const {
    const auto it = options.find(std::string{name});
    return it == options.end() ? std::vector<std::string>{} : it->second;
}

namespace {

const OptionSpec* find_option(const CommandSpec* spec, std::string_view name) {
    for (const auto& option : global_options()) {
        if (option.name == name) return &option;
    }
    if (spec != nullptr) {
        for (const auto& option : spec->options) {
            if (option.name == name) return &option;
        }
    }
    return nullptr;
}

std::string known_commands() {
    std::string text;
    for (const auto& spec : commands()) {
        if (spec.name.starts_with("plan ")) continue;
        text += text.empty() ? "" : ", ";
        text += spec.name;
    }
    return text + ", plan, help";
}

// An option's spec by name in any command: a name means the same, and takes a value or not,
// in every command, so words can be split before the command is known.
const OptionSpec* any_option(std::string_view name) {
    if (const auto* option = find_option(nullptr, name)) return option;
    for (const auto& spec : commands()) {
        if (const auto* option = find_option(&spec, name)) return option;
    }
    return nullptr;
}

const std::string kHint = " (see backupctl --help)";

// A message from parts, built in one buffer (error paths build many of them).
UsageError usage_error(std::initializer_list<std::string_view> parts) {
    std::string text;
    for (const auto part : parts) text += part;
    return UsageError(text);
}

}  // namespace

Invocation parse_arguments(const std::vector<std::string>& argv) {
    Invocation result;
    std::vector<std::string> positionals;
    std::vector<std::pair<std::string, std::string>> given;  // long name, value
    bool options_ended = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& word = argv[i];
        if (options_ended || word == "-" || !word.starts_with("-")) {
            positionals.push_back(word);
            continue;
        }
        if (word == "--") {
            options_ended = true;
            continue;
        }
        std::string name;
        std::optional<std::string> inline_value;
        if (word == "-h") {
            name = "help";
        } else if (word == "-o") {
            name = "output";
        } else if (word.starts_with("--")) {
            const auto eq = word.find('=');
            name = word.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            if (eq != std::string::npos) inline_value = word.substr(eq + 1);
        } else {
            throw usage_error({"unknown option '", word, "'", kHint});
        }
        const OptionSpec* option = any_option(name);
        if (option == nullptr) throw usage_error({"unknown option '--", name, "'", kHint});
        if (option->value.empty()) {
            if (inline_value) throw usage_error({"option '--", name, "' takes no value", kHint});
            given.emplace_back(name, "");
        } else if (inline_value) {
            given.emplace_back(name, *inline_value);
        } else if (i + 1 < argv.size()) {
            given.emplace_back(name, argv[++i]);
        } else {
            throw usage_error({"option '--", name, "' needs a value (", option->value, ")", kHint});
        }
    }

    for (const auto& [name, value] : given) {
        if (name == "help") result.help = true;
    }
    if (positionals.empty()) {
        if (!result.help) throw UsageError("no command given" + kHint);
        return result;
    }
    std::size_t consumed = 1;
    std::string command = positionals[0];
    if (command == "help") {
        result.command = "help";
        result.args.assign(positionals.begin() + 1, positionals.end());
        return result;
    }
    if (command == "plan") {
        if (positionals.size() < 2) {
            if (result.help) {
                result.command = "plan";
                return result;
            }
            throw UsageError("plan needs a subcommand: show, create, delete, run or prune" + kHint);
        }
        command += " " + positionals[1];
        consumed = 2;
        if (find_command(command) == nullptr) {
            throw UsageError("unknown plan subcommand '" + positionals[1] +
                             "': expected show, create, delete, run or prune" + kHint);
        }
    }
    const CommandSpec* spec = find_command(command);
    if (spec == nullptr) {
        throw UsageError("unknown command '" + command + "': expected one of " + known_commands() +
                         kHint);
    }
    result.command = command;
    if (result.help) return result;  // help wins over missing arguments

    const std::string hint = " (see backupctl help " + command + ")";
    for (const auto& [name, value] : given) {
        const OptionSpec* option = find_option(spec, name);
        if (option == nullptr) {
            throw usage_error({"option '--", name, "' does not apply to ", command, hint});
        }
        auto& values = result.options[name];
        if (!values.empty() && !option->repeatable) {
            throw usage_error({"option '--", name, "' given more than once", hint});
        }
        values.push_back(value);
    }
    result.args.assign(positionals.begin() + static_cast<std::ptrdiff_t>(consumed),
                       positionals.end());
    if (result.args.size() < spec->min_args) {
        throw UsageError(command + " needs " + std::string{spec->usage} + hint);
    }
    if (result.args.size() > spec->max_args) {
        throw UsageError("too many arguments for " + command + ": '" + result.args[spec->max_args] +
                         "'" + hint);
    }
    return result;
}

namespace {

std::string option_lines(const std::vector<OptionSpec>& options) {
    std::string text;
    for (const auto& option : options) {
        std::string left = "  --" + std::string{option.name};
        if (!option.value.empty()) left += " " + std::string{option.value};
        if (left.size() < 24)
            left.resize(24, ' ');
        else
            left += "  ";
        text += left + std::string{option.help};
        if (option.repeatable) text += " (repeatable)";
        text += "\n";
    }
    return text;
}

std::string usage_line(const CommandSpec& spec) {
    std::string text = "backupctl " + std::string{spec.name};
    if (!spec.usage.empty()) text += " " + std::string{spec.usage};
    for (const auto& option : spec.options) {
        text += " [--" + std::string{option.name};
        if (!option.value.empty()) text += " " + std::string{option.value};
        text += "]";
        if (option.repeatable) text += "...";
    }
    return text;
}

}  // namespace

std::string help_text(std::string_view command) {
    if (command.empty()) {
        std::string text =
            "backupctl: the command-line client of backupd's HTTP API\n\n"
            "Usage: backupctl [OPTIONS] COMMAND [ARGS]\n"
            "       backupctl help COMMAND\n\nCommands:\n";
        for (const auto& spec : commands()) {
            std::string left = "  " + std::string{spec.name};
            if (!spec.usage.empty()) left += " " + std::string{spec.usage};
            if (left.size() < 30)
                left.resize(30, ' ');
            else
                left += "  ";
            text += left + std::string{spec.summary} + "\n";
        }
        text += "\nOptions (every command):\n" + option_lines(global_options());
        text +=
            "\nServer and token: --url and --token-file, else BACKUPD_URL and BACKUPD_TOKEN (the\n"
            "token itself), else the config file $XDG_CONFIG_HOME/backupctl/config (default\n"
            "~/.config/backupctl/config) with lines 'url = ...' and 'token_file = ...', else\n"
            "http://127.0.0.1:8080 without a token. The token is never printed.\n\n";
        text += kExitStatuses;
        return text;
    }
    if (command == "plan") {
        std::string text = "Plans: a folder backed up on a schedule, with retention.\n\n";
        for (const auto& spec : commands()) {
            if (spec.name.starts_with("plan ")) text += "  " + usage_line(spec) + "\n";
        }
        return text + "\nSee backupctl help plan SUBCOMMAND.\n";
    }
    const CommandSpec* spec = find_command(command);
    if (spec == nullptr)
        throw UsageError("no help for unknown command '" + std::string{command} + "'");
    std::string text = "Usage: " + usage_line(*spec) + "\n\n" + std::string{spec->summary} + ".\n";
    if (!spec->details.empty()) text += "\n" + std::string{spec->details} + "\n";
    if (!spec->options.empty()) text += "\nOptions:\n" + option_lines(spec->options);
    text +=
        "\nGlobal options: --url URL, --token-file FILE, --cacert FILE, --json (backupctl "
        "--help).\n";
    return text;
}

}  // namespace backupd::cli
