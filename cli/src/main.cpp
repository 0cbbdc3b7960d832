// backupctl: the command-line client of backupd's HTTP API. main() only wires: parse the
// arguments, resolve the server and token, run the command, map errors to exit statuses.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "args.hpp"
#include "client_config.hpp"
#include "commands.hpp"

namespace {

using namespace backupd::cli;

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::nullopt : std::optional<std::string>{value};
}

ConfigFile read_config_file() {
    const auto path = config_file_path(env("XDG_CONFIG_HOME"), env("HOME"));
    if (!path) return {};
    std::ifstream in(*path);
    if (!in) return {};  // no config file is the usual case
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config_file(text.str(), *path);
}

int run(const std::vector<std::string>& argv) {
    Invocation invocation;
    try {
        invocation = parse_arguments(argv);
        if (invocation.command == "help" || invocation.help) {
            std::string topic = invocation.command == "help" ? "" : invocation.command;
            for (const auto& word :
                 invocation.command == "help" ? invocation.args : std::vector<std::string>{}) {
                topic += (topic.empty() ? "" : " ") + word;
            }
            std::cout << help_text(topic);
            return 0;
        }
    } catch (const UsageError& error) {
        std::cerr << "backupctl: " << error.what() << '\n';
        return static_cast<int>(ExitStatus::usage);
    }

    ClientConfig config;
    try {
        Settings settings{.url_flag = invocation.value("url"),
                          .token_file_flag = invocation.value("token-file"),
                          .url_env = env("BACKUPD_URL"),
                          .token_env = env("BACKUPD_TOKEN"),
                          .file = read_config_file()};
        config = resolve_client_config(settings, read_token_file);
        HttpClient client(parse_url(config.url), config.token, invocation.value("cacert"));
        Context context{.client = client,
                        .out = std::cout,
                        .err = std::cerr,
                        .json = invocation.has("json"),
                        .terminal = ::isatty(STDOUT_FILENO) == 1};
        return static_cast<int>(run_command(invocation, context));
    } catch (const UsageError& error) {
        std::cerr << "backupctl: " << error.what() << '\n';
        return static_cast<int>(ExitStatus::usage);
    } catch (const TransportError& error) {
        std::cerr << "backupctl: " << error.what() << '\n';
        return static_cast<int>(ExitStatus::unavailable);
    } catch (const std::invalid_argument& error) {  // a malformed URL
        std::cerr << "backupctl: " << error.what() << " (from " << config.url_source << ")\n";
        return static_cast<int>(ExitStatus::usage);
    } catch (const std::exception& error) {  // a token or config file, a local file
        std::cerr << "backupctl: " << error.what() << '\n';
        return static_cast<int>(ExitStatus::failed);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    return run(std::vector<std::string>(argv + 1, argv + argc));
}
