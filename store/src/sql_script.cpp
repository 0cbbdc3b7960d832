#include "sql_script.hpp"

#include <algorithm>
#include <cctype>

namespace backupd::store {
namespace {

bool is_blank(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

std::vector<std::string> split_sql_statements(std::string_view script) {
    std::vector<std::string> statements;
    std::string current;
    const auto flush = [&] {
        if (!is_blank(current)) {
            const auto first = current.find_first_not_of(" \t\r\n");
            const auto last = current.find_last_not_of(" \t\r\n");
            statements.push_back(current.substr(first, last - first + 1));
        }
        current.clear();
    };

    std::size_t i = 0;
    while (i < script.size()) {
        const char c = script[i];
        if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
            const auto end = script.find('\n', i);
            i = end == std::string_view::npos ? script.size() : end;
        } else if (c == '/' && i + 1 < script.size() && script[i + 1] == '*') {
            const auto end = script.find("*/", i + 2);
            i = end == std::string_view::npos ? script.size() : end + 2;
            current += ' ';
        } else if (c == '\'' || c == '"' || c == '`') {
            // A quoted string or identifier: copied whole. A doubled quote or a backslash
            // escapes the next character.
            current += c;
            ++i;
            while (i < script.size()) {
                const char q = script[i];
                current += q;
                ++i;
                if (q == '\\' && i < script.size()) {
                    current += script[i++];
                } else if (q == c) {
                    if (i < script.size() && script[i] == c) {
                        current += script[i++];
                    } else {
                        break;
                    }
                }
            }
        } else if (c == ';') {
            flush();
            ++i;
        } else {
            current += c;
            ++i;
        }
    }
    flush();
    return statements;
}

}  // namespace backupd::store
