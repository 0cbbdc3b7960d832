#pragma once
// backupctl's command line: the table of commands (with their options and help) and the parser
// that turns argv into an Invocation. Plain functions, no I/O: a usage error is thrown as a
// UsageError whose message names the offending word, and main maps it to exit status 2.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace backupd::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    std::string_view name;   // long name without "--"
    std::string_view value;  // placeholder of its value ("S"); empty: a flag
    bool repeatable = false;
    std::string_view help;
};

struct CommandSpec {
    std::string_view name;   // "backup", or "plan create" for a plan subcommand
    std::string_view usage;  // the arguments after the name, as shown in help
    std::size_t min_args = 0;
    std::size_t max_args = 0;  // kUnbounded: any number
    std::vector<OptionSpec> options;
    std::string_view summary;  // one line
    std::string_view details;  // what it prints and its exit statuses
};

inline constexpr std::size_t kUnbounded = static_cast<std::size_t>(-1);

// Every command, in the order help lists them.
const std::vector<CommandSpec>& commands();
const CommandSpec* find_command(std::string_view name);
// Options every command takes (--url, --token-file, --cacert, --json, --help).
const std::vector<OptionSpec>& global_options();

struct Invocation {
    std::string command;  // "" with --help and no command; "help" for `backupctl help [CMD]`
    std::vector<std::string> args;
    // Options given, by long name; a flag maps to {""}. Repeatable ones keep every value in order.
    std::map<std::string, std::vector<std::string>> options;
    bool help = false;  // --help or -h anywhere

    bool has(std::string_view name) const;
    std::optional<std::string> value(std::string_view name) const;  // the last value given
    std::vector<std::string> values(std::string_view name) const;
};

// Parses argv after the program name. Throws UsageError (unknown command or option, a missing
// or extra argument, an option without its value, a value given to a flag).
Invocation parse_arguments(const std::vector<std::string>& argv);

// Help: the overview (no command) or one command's page ("plan" lists its subcommands).
// Throws UsageError for an unknown command.
std::string help_text(std::string_view command = {});

}  // namespace backupd::cli
