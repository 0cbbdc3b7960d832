#pragma once
// Which daemon backupctl talks to, and with which token. Precedence, per setting: the flag
// (--url, --token-file), then the environment (BACKUPD_URL, BACKUPD_TOKEN holding the token
// itself), then the config file (lines "url = ..." and "token_file = ..."), then the default
// http://127.0.0.1:8080 without a token. Plain functions over plain inputs: the caller reads the
// environment and the files, so precedence is unit-tested without touching either.

#include <functional>
#include <optional>
#include <string>

namespace backupd::cli {

inline constexpr const char* kDefaultUrl = "http://127.0.0.1:8080";

struct ConfigFile {
    std::optional<std::string> url;
    std::optional<std::string> token_file;
};

// Parses the config file's text: "key = value" lines, '#' comments and blank lines. Throws
// std::runtime_error naming the line for an unknown key or a line without '='.
ConfigFile parse_config_file(const std::string& text, const std::string& path);

// The config file's path: $XDG_CONFIG_HOME/backupctl/config, else $HOME/.config/backupctl/config;
// nullopt when neither variable is set.
std::optional<std::string> config_file_path(const std::optional<std::string>& xdg_config_home,
                                            const std::optional<std::string>& home);

struct Settings {
    std::optional<std::string> url_flag, token_file_flag;
    std::optional<std::string> url_env, token_env;
    ConfigFile file;
};

struct ClientConfig {
    std::string url;
    std::optional<std::string> token;  // never printed
    std::string url_source;            // "--url", "BACKUPD_URL", "config file" or "default"
};

// Resolves url and token. read_token_file returns a token file's first line (trailing blanks
// cut) and throws std::runtime_error when it cannot be read or is empty.
ClientConfig resolve_client_config(
    const Settings& settings,
    const std::function<std::string(const std::string&)>& read_token_file);

// A token file's first line with trailing whitespace (and a CR) removed; throws
// std::runtime_error naming the file when it cannot be read or holds no token.
std::string read_token_file(const std::string& path);

}  // namespace backupd::cli
