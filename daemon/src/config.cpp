#include "config.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/program_options.hpp>

namespace backupd::daemon {
namespace {

namespace po = boost::program_options;

// One row per key: its name (flag and config-file key), default as shown, and what it does.
struct OptionSpec {
    const char* name;
    const char* default_text;  // nullptr: a switch
    const char* help;
};

constexpr OptionSpec kOptions[] = {
    {"listen", "127.0.0.1:8080",
     "address to serve HTTP on, HOST:PORT; port 0 picks a free port. Listening beyond loopback "
     "requires --api-token-file (or --insecure-no-auth)"},
    {"port-file", "", "file to write the bound HOST:PORT to once listening (useful with port 0)"},
    {"source-root", "var/sources", "directory holding the folders that can be backed up"},
    {"backup-root", "var/backups", "directory the snapshots are written to"},
    {"database", "sqlite:backupd.db",
     "sqlite:PATH or mysql://USER[:PASSWORD]@HOST[:PORT]/DBNAME; the MySQL password is better "
     "given as BACKUPD_DATABASE_PASSWORD"},
    {"workers", "0", "backup worker threads; 0 means one per CPU core"},
    {"copy-threads", "0",
     "threads copying the files of one snapshot; 0 means two per CPU core (at least 4), which "
     "pays for many small files"},
    {"drain-seconds", "30",
     "on SIGTERM, how long running backups may take to finish before they are stopped and "
     "given back to the queue"},
    {"io-threads", "2", "threads doing HTTP network I/O (they never block)"},
    {"handler-threads", "8",
     "threads running HTTP handlers, which wait on the database; each may hold one database "
     "connection"},
    {"api-token-file", "",
     "file of API tokens, one per line; when set, every route but /healthz "
     "needs Authorization: Bearer <token>"},
    {"insecure-no-auth", nullptr, "allow listening beyond loopback without API tokens"},
    {"node-id", "",
     "this daemon's name in the shared queue, unique among the daemons sharing a database (a "
     "restarting node takes back the jobs leased under its name); default: the host name"},
    {"lease-seconds", "30", "how long a claimed job stays leased without a heartbeat"},
    {"database-wait-seconds", "30",
     "how long start-up retries an unreachable database before giving up"},
    {"no-migrate", nullptr, "do not apply pending schema migrations at start-up"},
    {"log-level", "info", "trace, debug, info, warn, error or off"},
    {"config", "", "configuration file of key = value lines (keys as the long options)"},
};

std::string env_name(const std::string& option) {
    std::string name = "BACKUPD_";
    for (const char c : option) name += c == '-' ? '_' : static_cast<char>(std::toupper(c));
    return name;
}

po::options_description describe() {
    po::options_description options;
    for (const OptionSpec& spec : kOptions) {
        if (spec.default_text == nullptr) {
            options.add_options()(spec.name, po::bool_switch(), spec.help);
        } else {
            options.add_options()(spec.name, po::value<std::string>(), spec.help);
        }
    }
    options.add_options()("help,h", po::bool_switch(), "show this help")(
        "version", po::bool_switch(), "print the version");
    return options;
}

template <typename Int>
Int parse_number(const std::string& option, const std::string& text, Int min, Int max) {
    Int value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
        value > max) {
        throw std::runtime_error("--" + option + " must be a whole number from " +
                                 std::to_string(min) + " to " + std::to_string(max) + ", not '" +
                                 text + "'");
    }
    return value;
}

Config to_config(const po::variables_map& values) {
    Config config;
    const auto text = [&](const char* name) -> std::optional<std::string> {
        if (!values.count(name)) return std::nullopt;
        return values[name].as<std::string>();
    };
    const auto flag = [&](const char* name) {
        return values.count(name) && values[name].as<bool>();
    };

    if (auto v = text("listen")) {
        std::tie(config.listen_host, config.listen_port) = parse_listen_address(*v);
    }
    if (auto v = text("port-file")) config.port_file = *v;
    if (auto v = text("source-root")) config.source_root = *v;
    if (auto v = text("backup-root")) config.backup_root = *v;
    if (auto v = text("database")) config.database = *v;
    if (auto v = text("workers")) config.workers = parse_number<std::size_t>("workers", *v, 0, 256);
    if (auto v = text("copy-threads")) {
        config.copy_threads = parse_number<unsigned>("copy-threads", *v, 0, 256);
    }
    if (auto v = text("drain-seconds")) {
        config.drain = std::chrono::seconds{parse_number<int>("drain-seconds", *v, 0, 86400)};
    }
    if (auto v = text("handler-threads")) {
        config.handler_threads = parse_number<std::size_t>("handler-threads", *v, 1, 256);
    }
    if (auto v = text("io-threads")) {
        config.io_threads = parse_number<std::size_t>("io-threads", *v, 1, 64);
    }
    if (auto v = text("api-token-file")) config.api_token_file = *v;
    config.insecure_no_auth = flag("insecure-no-auth");
    if (auto v = text("node-id")) config.node_id = *v;
    if (auto v = text("lease-seconds")) {
        config.lease = std::chrono::seconds{parse_number<int>("lease-seconds", *v, 3, 3600)};
    }
    if (auto v = text("database-wait-seconds")) {
        config.database_wait =
            std::chrono::seconds{parse_number<int>("database-wait-seconds", *v, 0, 3600)};
    }
    config.migrate = !flag("no-migrate");
    if (auto v = text("log-level")) {
        static const std::vector<std::string> kLevels{"trace", "debug", "info",
                                                      "warn",  "error", "off"};
        if (std::find(kLevels.begin(), kLevels.end(), *v) == kLevels.end()) {
            throw std::runtime_error("--log-level must be trace, debug, info, warn, error or off");
        }
        config.log_level = *v;
    }
    if (config.workers == 0) config.workers = std::max(1u, std::thread::hardware_concurrency());
    if (config.copy_threads == 0)
        config.copy_threads = std::max(4u, 2 * std::thread::hardware_concurrency());
    return config;
}

}  // namespace

std::pair<std::string, std::uint16_t> parse_listen_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        throw std::runtime_error("--listen must be HOST:PORT, not '" + text + "'");
    }
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const auto port = parse_number<unsigned>("listen port", text.substr(colon + 1), 0, 65535);
    return {host, static_cast<std::uint16_t>(port)};
}

bool is_loopback(const std::string& host) {
    return host == "127.0.0.1" || host == "::1" || host == "localhost" ||
           host.rfind("127.", 0) == 0;
}

Invocation parse_invocation(int argc, const char* const argv[]) {
    Invocation invocation;
    int first = 1;
    if (argc > 1 && argv[1][0] != '-') {
        const std::string command = argv[1];
        if (command == "serve") {
            invocation.command = Command::serve;
        } else if (command == "migrate") {
            invocation.command = Command::migrate;
        } else if (command == "snapshot") {
            invocation.command = Command::snapshot;
        } else if (command == "help") {
            invocation.command = Command::help;
            return invocation;
        } else {
            throw std::runtime_error("unknown command '" + command +
                                     "' (expected serve, migrate or snapshot; see --help)");
        }
        first = 2;
    }

    const po::options_description options = describe();
    po::options_description with_folder(options);
    with_folder.add_options()("folder", po::value<std::string>(), "the folder to snapshot");
    po::positional_options_description positional;
    if (invocation.command == Command::snapshot) positional.add("folder", 1);
    po::variables_map values;
    try {
        // First stored wins: the command line, then the environment, then the config file.
        po::store(
            po::command_line_parser(argc - first + 1, argv + first - 1)
                .options(with_folder)
                .positional(positional)
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run(),
            values);
        po::store(po::parse_environment(options,
                                        [](const std::string& variable) -> std::string {
                                            for (const OptionSpec& spec : kOptions) {
                                                if (variable == env_name(spec.name))
                                                    return spec.name;
                                            }
                                            return "";
                                        }),
                  values);
        if (values.count("config")) {
            const std::string path = values["config"].as<std::string>();
            std::ifstream file(path);
            if (!file) throw std::runtime_error("cannot read the config file " + path);
            po::store(po::parse_config_file(file, options), values);
        }
        po::notify(values);
    } catch (const po::error& e) {
        throw std::runtime_error(std::string(e.what()) + " (see --help)");
    }
    if (values["help"].as<bool>()) invocation.command = Command::help;
    if (values["version"].as<bool>()) invocation.command = Command::version;
    if (invocation.command == Command::help || invocation.command == Command::version) {
        return invocation;
    }
    invocation.config = to_config(values);
    if (invocation.command == Command::snapshot) {
        if (!values.count("folder"))
            throw std::runtime_error("snapshot needs the FOLDER to back up (see --help)");
        invocation.snapshot_folder = values["folder"].as<std::string>();
    } else if (values.count("folder")) {
        throw std::runtime_error("--folder is only for the snapshot command (see --help)");
    }
    return invocation;
}

std::string help_text() {
    std::ostringstream out;
    out << "backupd: a backup daemon. Ask it over HTTP to back up a folder; workers copy it into\n"
           "a snapshot and every action lands in an audit log.\n\n"
           "Usage:\n"
           "  backupd [serve] [OPTIONS]     serve the HTTP API and run backup workers (default)\n"
           "  backupd migrate [OPTIONS]     apply pending schema migrations and exit\n"
           "  backupd snapshot [OPTIONS] FOLDER\n"
           "                                copy <source-root>/FOLDER into a new snapshot under\n"
           "                                <backup-root> once, without database or server, and\n"
           "                                print its path; unchanged files are hard-linked to\n"
           "                                the previous snapshot\n"
           "  backupd --help | --version\n\n"
           "Options (flag, then environment variable, then config file key; first found wins):\n";
    for (const OptionSpec& spec : kOptions) {
        out << "  --" << spec.name << (spec.default_text ? " VALUE" : "") << "\n";
        out << "      " << spec.help << "\n";
        out << "      env " << env_name(spec.name);
        if (spec.default_text != nullptr && *spec.default_text != '\0') {
            out << "; default " << spec.default_text;
        }
        out << "\n";
    }
    out << "\nSecrets: BACKUPD_DATABASE_PASSWORD holds the MySQL password when the URL has none.\n"
           "Exit status: 0 after a clean stop (SIGTERM/SIGINT); non-zero with a one-line reason\n"
           "when start-up fails.\n";
    return out.str();
}

}  // namespace backupd::daemon
