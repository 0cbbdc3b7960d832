#pragma once
// The daemon's configuration (docs/design.md sections 8 and 9). Each key can be set, in order of
// precedence, by a command-line flag (--listen), an environment variable (BACKUPD_LISTEN) or
// a line of the config file (listen = ...); otherwise its default applies. Secrets never come
// from the command line: the database password from BACKUPD_DATABASE_PASSWORD, API tokens from
// the file named by --api-token-file.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "backupd/api/http_server.hpp"
#include "backupd/store/sql_job_queue.hpp"

namespace backupd::daemon {

// The defaults below are the ones `--help` prints (config.cpp reads them from a Config{}).
// Where a module's options struct owns a setting, its default is taken from there, not
// written again here.
struct Config {
    std::string listen_host = api::ServerOptions{}.host;
    std::uint16_t listen_port = api::ServerOptions{}.port;
    std::filesystem::path port_file;
    std::filesystem::path source_root = "var/sources";
    std::filesystem::path backup_root = "var/backups";
    std::filesystem::path restore_root = "var/restores";
    std::string database = "sqlite:backupd.db";
    std::size_t workers = 0;    // 0: one per core
    unsigned copy_threads = 0;  // 0: two per core, at least 4
    std::chrono::seconds drain{30};
    std::size_t io_threads = api::ServerOptions{}.io_threads;
    std::size_t handler_threads = api::ServerOptions{}.handler_threads;
    // Overload limits (429 too_busy): api::ServerOptions owns their defaults and meaning.
    std::size_t max_connections = api::ServerOptions{}.max_connections;
    std::size_t max_queued_requests = api::ServerOptions{}.max_queued_requests;
    std::size_t rate_limit = api::ServerOptions{}.rate_limit;
    std::size_t rate_limit_burst = api::ServerOptions{}.rate_limit_burst;
    std::filesystem::path api_token_file;
    bool insecure_no_auth = false;
    // TLS (serve_support.hpp has the rules): both or neither; `credential:NAME` reads NAME
    // from systemd's $CREDENTIALS_DIRECTORY, as for api_token_file.
    std::filesystem::path tls_cert;
    std::filesystem::path tls_key;
    bool insecure_no_tls = false;
    std::string node_id;  // empty: the host name
    std::chrono::seconds lease =
        std::chrono::duration_cast<std::chrono::seconds>(store::QueueOptions{}.lease);
    std::chrono::seconds database_wait{30};
    bool migrate = true;
    std::string log_level = "info";
};

enum class Command { serve, migrate, snapshot, help, version };

struct Invocation {
    Command command = Command::serve;
    Config config;
    std::string snapshot_folder;  // the FOLDER of `backupd snapshot`
};

// Parses argv (with the environment and the config file it names). Throws std::runtime_error
// with a one-line message naming the bad option or value.
Invocation parse_invocation(int argc, const char* const argv[]);

// The text of --help: every option with its default and environment variable.
std::string help_text();

// "HOST:PORT" (IPv6 in brackets) into its parts; throws std::runtime_error when malformed.
std::pair<std::string, std::uint16_t> parse_listen_address(const std::string& text);

bool is_loopback(const std::string& host);

}  // namespace backupd::daemon
