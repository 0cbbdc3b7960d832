#pragma once
// What commands share: the context they run in (client, output streams, --json), reading the
// API's JSON, printing tables, and turning an answer that is not a success into a message on
// stderr and an exit status.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "exit_status.hpp"
#include "http_client.hpp"

namespace backupd::cli {

struct Context {
    HttpClient& client;
    std::ostream& out;
    std::ostream& err;
    bool json = false;      // print the API's JSON
    bool terminal = false;  // stdout is a terminal: progress bars redrawn in place
};

// Parses an answer's body; a body that is not JSON becomes an empty object.
rapidjson::Document parse_json(const std::string& body);

// "?a=1&b=x%20y" from the parameters that have a value ("" when none has).
std::string query_string(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& params);

// A member as text for a table: strings raw, numbers as written, null and missing as "-".
std::string text_of(const rapidjson::Value& object, const char* member);
std::int64_t int_of(const rapidjson::Value& object, const char* member);
// A member, or null when the object lacks it (or is not an object).
const rapidjson::Value& member_of(const rapidjson::Value& object, const char* member);
// A member that should be an array, or an empty array when it is missing or of another type
// (an answer of an unexpected shape prints as empty rather than crashing).
const rapidjson::Value& array_of(const rapidjson::Value& object, const char* member);

// Prints rows as columns separated by two spaces, every column as wide as its widest cell.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// Prints "key: value" lines for every member of an object (nested values as compact JSON).
void print_fields(std::ostream& out, const rapidjson::Value& object);

std::string compact(const rapidjson::Value& value);

// For an answer that is not 2xx: prints "backupctl: STATUS CODE: MESSAGE" (the API's error)
// to err and returns the exit status for it (exit_for_http_status).
ExitStatus report_refusal(Context& context, const HttpResponse& response);

// The common case: on 2xx prints the body (with --json) or calls print(document); otherwise
// report_refusal.
template <class Print>
ExitStatus answer(Context& context, const HttpResponse& response, Print print) {
    if (response.status < 200 || response.status >= 300) return report_refusal(context, response);
    if (context.json) {
        context.out << response.body;
        if (!response.body.ends_with('\n')) context.out << '\n';
    } else {
        const auto document = parse_json(response.body);
        print(document);
    }
    return ExitStatus::success;
}

}  // namespace backupd::cli
