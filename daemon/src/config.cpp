#include "config.hpp"

#include <algorithm>
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

template <typename Int>
Int parse_number(const std::string& option, const std::string& text, Int min, Int max);

std::string show_listen(const Config& c) {
    const bool ipv6 = c.listen_host.find(':') != std::string::npos;
    return (ipv6 ? "[" + c.listen_host + "]" : c.listen_host) + ":" + std::to_string(c.listen_port);
}

void set_log_level(Config& c, const std::string& v) {
    static const std::vector<std::string> kLevels{"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(kLevels.begin(), kLevels.end(), v) == kLevels.end())
        throw std::runtime_error("--log-level must be trace, debug, info, warn, error or off");
    c.log_level = v;
}

// One row per key, declared once: its name (flag and config-file key; the environment variable
// follows from it), what it does, how to show its value (the default is show(Config{})), and
// how to store a value given for it. A row without `set` is a switch, stored by `flip`.
struct OptionSpec {
    const char* name;
    const char* help;
    std::string (*show)(const Config&);
    void (*set)(Config&, const std::string&) = nullptr;
    void (*flip)(Config&) = nullptr;
};

const OptionSpec kOptions[] = {
    {"listen",
     "address to serve HTTP on, HOST:PORT; port 0 picks a free port. Listening beyond loopback "
     "requires --api-token-file (or --insecure-no-auth) and --tls-cert/--tls-key (or "
     "--insecure-no-tls)",
     show_listen,
     [](Config& c, const std::string& v) {
         std::tie(c.listen_host, c.listen_port) = parse_listen_address(v);
     }},
    {"port-file",
     "file to write the bound HOST:PORT to once serving, after start-up recovery (useful with "
     "port 0)",
     [](const Config& c) { return c.port_file.string(); },
     [](Config& c, const std::string& v) { c.port_file = v; }},
    {"source-root", "directory holding the folders that can be backed up",
     [](const Config& c) { return c.source_root.string(); },
     [](Config& c, const std::string& v) { c.source_root = v; }},
    {"backup-root", "directory the snapshots are written to",
     [](const Config& c) { return c.backup_root.string(); },
     [](Config& c, const std::string& v) { c.backup_root = v; }},
    {"restore-root",
     "directory restores are written beneath (POST /api/v1/restores); in-place restores write "
     "into the source folder instead",
     [](const Config& c) { return c.restore_root.string(); },
     [](Config& c, const std::string& v) { c.restore_root = v; }},
    {"database",
     "sqlite:PATH or mysql://USER[:PASSWORD]@HOST[:PORT]/DBNAME; the MySQL password is better "
     "given as BACKUPD_DATABASE_PASSWORD",
     [](const Config& c) { return c.database; },
     [](Config& c, const std::string& v) { c.database = v; }},
    {"workers", "backup worker threads; 0 means one per CPU core",
     [](const Config& c) { return std::to_string(c.workers); },
     [](Config& c, const std::string& v) {
         c.workers = parse_number<std::size_t>("workers", v, 0, 256);
     }},
    {"copy-threads",
     "threads copying the files of one snapshot; 0 means two per CPU core (at least 4), which "
     "pays for many small files",
     [](const Config& c) { return std::to_string(c.copy_threads); },
     [](Config& c, const std::string& v) {
         c.copy_threads = parse_number<unsigned>("copy-threads", v, 0, 256);
     }},
    {"drain-seconds",
     "on SIGTERM, how long running backups may take to finish before they are stopped and "
     "given back to the queue",
     [](const Config& c) { return std::to_string(c.drain.count()); },
     [](Config& c, const std::string& v) {
         c.drain = std::chrono::seconds{parse_number<int>("drain-seconds", v, 0, 86400)};
     }},
    {"io-threads", "threads doing HTTP network I/O (they never block)",
     [](const Config& c) { return std::to_string(c.io_threads); },
     [](Config& c, const std::string& v) {
         c.io_threads = parse_number<std::size_t>("io-threads", v, 1, 64);
     }},
    {"handler-threads",
     "threads running HTTP handlers, which wait on the database; each may hold one database "
     "connection",
     [](const Config& c) { return std::to_string(c.handler_threads); },
     [](Config& c, const std::string& v) {
         c.handler_threads = parse_number<std::size_t>("handler-threads", v, 1, 256);
     }},
    // Overload answers (429 too_busy with Retry-After).
    {"max-connections",
     "open HTTP connections at most; one more is answered 429 too_busy and closed. Keep it "
     "below the descriptor limit (LimitNOFILE)",
     [](const Config& c) { return std::to_string(c.max_connections); },
     [](Config& c, const std::string& v) {
         c.max_connections = parse_number<std::size_t>("max-connections", v, 1, 100'000);
     }},
    {"max-queued-requests",
     "requests waiting for a busy handler thread at most; one more is answered 429 too_busy "
     "at once. 0 means no bound",
     [](const Config& c) { return std::to_string(c.max_queued_requests); },
     [](Config& c, const std::string& v) {
         c.max_queued_requests = parse_number<std::size_t>("max-queued-requests", v, 0, 100'000);
     }},
    {"rate-limit",
     "requests per second per client address (a token bucket); beyond it, 429 too_busy with "
     "Retry-After. /healthz is never limited. 0 means off",
     [](const Config& c) { return std::to_string(c.rate_limit); },
     [](Config& c, const std::string& v) {
         c.rate_limit = parse_number<std::size_t>("rate-limit", v, 0, 1'000'000);
     }},
    {"rate-limit-burst",
     "requests a client address may make at once before rate-limit applies; 0 means equal to "
     "rate-limit",
     [](const Config& c) { return std::to_string(c.rate_limit_burst); },
     [](Config& c, const std::string& v) {
         c.rate_limit_burst = parse_number<std::size_t>("rate-limit-burst", v, 0, 1'000'000);
     }},
    {"api-token-file",
     "file of API tokens, one per line; when set, every route but /healthz "
     "needs Authorization: Bearer <token>",
     [](const Config& c) { return c.api_token_file.string(); },
     [](Config& c, const std::string& v) { c.api_token_file = v; }},
    {"insecure-no-auth", "allow listening beyond loopback without API tokens",
     [](const Config&) { return std::string(); }, nullptr,
     [](Config& c) { c.insecure_no_auth = true; }},
    {"tls-cert",
     "PEM file of the server certificate (then any intermediates): serve HTTPS (TLS 1.2 and "
     "1.3); needs --tls-key; SIGHUP reloads both. credential:NAME reads NAME from systemd's "
     "$CREDENTIALS_DIRECTORY (also for --tls-key and --api-token-file)",
     [](const Config& c) { return c.tls_cert.string(); },
     [](Config& c, const std::string& v) { c.tls_cert = v; }},
    {"tls-key", "PEM file of the certificate's unencrypted private key; needs --tls-cert",
     [](const Config& c) { return c.tls_key.string(); },
     [](Config& c, const std::string& v) { c.tls_key = v; }},
    {"insecure-no-tls",
     "allow listening beyond loopback in plain HTTP, when a proxy in front ends TLS (or the "
     "network is trusted)",
     [](const Config&) { return std::string(); }, nullptr,
     [](Config& c) { c.insecure_no_tls = true; }},
    {"node-id",
     "this daemon's name in the shared queue, unique among the daemons sharing a database (a "
     "restarting node takes back the jobs leased under its name); default: the host name",
     [](const Config& c) { return c.node_id; },
     [](Config& c, const std::string& v) { c.node_id = v; }},
    {"lease-seconds", "how long a claimed job stays leased without a heartbeat",
     [](const Config& c) { return std::to_string(c.lease.count()); },
     [](Config& c, const std::string& v) {
         c.lease = std::chrono::seconds{parse_number<int>("lease-seconds", v, 3, 3600)};
     }},
    {"database-wait-seconds", "how long start-up retries an unreachable database before giving up",
     [](const Config& c) { return std::to_string(c.database_wait.count()); },
     [](Config& c, const std::string& v) {
         c.database_wait =
             std::chrono::seconds{parse_number<int>("database-wait-seconds", v, 0, 3600)};
     }},
    {"no-migrate", "do not apply pending schema migrations at start-up",
     [](const Config&) { return std::string(); }, nullptr, [](Config& c) { c.migrate = false; }},
    {"log-level", "trace, debug, info, warn, error or off",
     [](const Config& c) { return c.log_level; }, set_log_level},
    // Read by parse_invocation itself, before the other keys.
    {"config", "configuration file of key = value lines (keys as the long options)",
     [](const Config&) { return std::string(); }, [](Config&, const std::string&) {}},
};

std::string env_name(const std::string& option) {
    std::string name = "BACKUPD_";
    for (const char c : option) name += c == '-' ? '_' : static_cast<char>(std::toupper(c));
    return name;
}

po::options_description describe() {
    po::options_description options;
    for (const OptionSpec& spec : kOptions) {
        if (spec.set == nullptr) {
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
    for (const OptionSpec& spec : kOptions) {
        if (!values.count(spec.name)) continue;
        if (spec.set != nullptr) {
            spec.set(config, values[spec.name].as<std::string>());
        } else if (values[spec.name].as<bool>()) {
            spec.flip(config);
        }
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

namespace {

// The subcommand named by argv[1], if any; returns the index of the first option after it.
int parse_command(int argc, const char* const argv[], Command& command) {
    if (argc <= 1 || argv[1][0] == '-') return 1;
    const std::string name = argv[1];
    if (name == "serve") {
        command = Command::serve;
    } else if (name == "migrate") {
        command = Command::migrate;
    } else if (name == "snapshot") {
        command = Command::snapshot;
    } else if (name == "help") {
        command = Command::help;
    } else {
        throw std::runtime_error("unknown command '" + name +
                                 "' (expected serve, migrate or snapshot; see --help)");
    }
    return 2;
}

// The option values from argv (from `first` on), the environment and the config file; the
// first stored wins, in that order.
po::variables_map read_values(int argc, const char* const argv[], int first, Command command) {
    const po::options_description options = describe();
    po::options_description with_folder(options);
    with_folder.add_options()("folder", po::value<std::string>(), "the folder to snapshot");
    po::positional_options_description positional;
    if (command == Command::snapshot) positional.add("folder", 1);
    po::variables_map values;
    try {
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
    } catch (const po::error_with_option_name& e) {
        // Boost 1.81's what() replaces %canonical_option% and its kin in the message until none
        // is left, so an option name holding such a token (a config file key or an argument such
        // as "a%canonical_option%") never returns (found by fuzz_config). Such a name is no
        // option of ours: name it without Boost's message. get_option_name() substitutes nothing.
        const std::string name = e.get_option_name();
        if (name.find('%') != std::string::npos) {
            throw std::runtime_error("unrecognised option '" + name + "' (see --help)");
        }
        throw std::runtime_error(std::string(e.what()) + " (see --help)");
    } catch (const po::error& e) {
        throw std::runtime_error(std::string(e.what()) + " (see --help)");
    }
    return values;
}

}  // namespace

Invocation parse_invocation(int argc, const char* const argv[]) {
    Invocation invocation;
    const int first = parse_command(argc, argv, invocation.command);
    if (invocation.command == Command::help) return invocation;
    const po::variables_map values = read_values(argc, argv, first, invocation.command);
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
           "  backupd migrate [OPTIONS]     apply pending schema migrations, recount the job\n"
           "                                statistics from the jobs table, and exit\n"
           "  backupd snapshot [OPTIONS] FOLDER\n"
           "                                copy <source-root>/FOLDER into a new snapshot under\n"
           "                                <backup-root> once, without database or server, and\n"
           "                                print its path; unchanged files are hard-linked to\n"
           "                                the previous snapshot\n"
           "  backupd verify SNAPSHOT_DIR   re-read a snapshot against SNAPSHOT_DIR.manifest,\n"
           "                                offline; exit 0 intact, 1 mismatch (paths listed),\n"
           "                                2 usage or no manifest\n"
           "  backupd --help | --version\n\n"
           "Options (flag, then environment variable, then config file key; first found wins):\n";
    const Config defaults;
    for (const OptionSpec& spec : kOptions) {
        out << "  --" << spec.name << (spec.set ? " VALUE" : "") << "\n";
        out << "      " << spec.help << "\n";
        out << "      env " << env_name(spec.name);
        if (const std::string shown = spec.show(defaults); !shown.empty()) {
            out << "; default " << shown;
        }
        out << "\n";
    }
    out << "\nSecrets: BACKUPD_DATABASE_PASSWORD holds the MySQL password when the URL has none.\n"
           "Exit status: 0 after a clean stop (SIGTERM/SIGINT); non-zero with a one-line reason\n"
           "when start-up fails.\n";
    return out.str();
}

}  // namespace backupd::daemon
