#include "client_config.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace backupd::cli {
namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

}  // namespace

ConfigFile parse_config_file(const std::string& text, const std::string& path) {
    ConfigFile file;
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        const std::string content = trim(line);
        if (content.empty() || content.starts_with('#')) continue;
        const auto eq = content.find('=');
        const std::string where = path + ":" + std::to_string(number);
        if (eq == std::string::npos) {
            throw std::runtime_error(where + ": expected 'key = value'");
        }
        const std::string key = trim(content.substr(0, eq));
        const std::string value = trim(content.substr(eq + 1));
        if (key == "url") {
            file.url = value;
        } else if (key == "token_file") {
            file.token_file = value;
        } else {
            std::string message = where;
            message += ": unknown key '";
            message += key;
            message += "' (expected url or token_file)";
            throw std::runtime_error(message);
        }
    }
    return file;
}

std::optional<std::string> config_file_path(const std::optional<std::string>& xdg_config_home,
                                            const std::optional<std::string>& home) {
    if (xdg_config_home && !xdg_config_home->empty()) {
        return *xdg_config_home + "/backupctl/config";
    }
    if (home && !home->empty()) return *home + "/.config/backupctl/config";
    return std::nullopt;
}

ClientConfig resolve_client_config(
    const Settings& settings, const std::function<std::string(const std::string&)>& read_token) {
    ClientConfig config;
    if (settings.url_flag) {
        config.url = *settings.url_flag;
        config.url_source = "--url";
    } else if (settings.url_env && !settings.url_env->empty()) {
        config.url = *settings.url_env;
        config.url_source = "BACKUPD_URL";
    } else if (settings.file.url) {
        config.url = *settings.file.url;
        config.url_source = "config file";
    } else {
        config.url = kDefaultUrl;
        config.url_source = "default";
    }
    while (config.url.ends_with('/')) config.url.pop_back();

    if (settings.token_file_flag) {
        config.token = read_token(*settings.token_file_flag);
    } else if (settings.token_env && !settings.token_env->empty()) {
        config.token = trim(*settings.token_env);
    } else if (settings.file.token_file) {
        config.token = read_token(*settings.file.token_file);
    }
    return config;
}

std::string read_token_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read the token file " + path);
    std::string line;
    std::getline(in, line);
    line = trim(line);
    if (line.empty()) throw std::runtime_error("the token file " + path + " holds no token");
    return line;
}

}  // namespace backupd::cli
