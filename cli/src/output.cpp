#include "output.hpp"

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace backupd::cli {

rapidjson::Document parse_json(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.c_str(), body.size());
    if (document.HasParseError() || !document.IsObject()) document.SetObject();
    return document;
}

std::string query_string(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& params) {
    std::string text;
    for (const auto& [name, value] : params) {
        if (!value) continue;
        text += text.empty() ? "?" : "&";
        text += name + "=" + url_encode(*value);
    }
    return text;
}

std::string compact(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

std::string text_of(const rapidjson::Value& object, const char* member) {
    if (!object.IsObject()) return "-";
    const auto it = object.FindMember(member);
    if (it == object.MemberEnd() || it->value.IsNull()) return "-";
    if (it->value.IsString()) return {it->value.GetString(), it->value.GetStringLength()};
    return compact(it->value);
}

std::int64_t int_of(const rapidjson::Value& object, const char* member) {
    if (!object.IsObject()) return 0;
    const auto it = object.FindMember(member);
    if (it == object.MemberEnd() || !it->value.IsInt64()) return 0;
    return it->value.GetInt64();
}

const rapidjson::Value& member_of(const rapidjson::Value& object, const char* member) {
    static const rapidjson::Value kNull;
    if (!object.IsObject()) return kNull;
    const auto it = object.FindMember(member);
    return it == object.MemberEnd() ? kNull : it->value;
}

const rapidjson::Value& array_of(const rapidjson::Value& object, const char* member) {
    static const rapidjson::Value kEmpty(rapidjson::kArrayType);
    if (!object.IsObject()) return kEmpty;
    const auto it = object.FindMember(member);
    return it != object.MemberEnd() && it->value.IsArray() ? it->value : kEmpty;
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        while (line.ends_with(' ')) line.pop_back();  // an empty last cell
        out << line << '\n';
    }
}

void print_fields(std::ostream& out, const rapidjson::Value& object) {
    if (!object.IsObject()) return;
    std::size_t width = 0;
    for (const auto& member : object.GetObject()) {
        width = std::max<std::size_t>(width, member.name.GetStringLength());
    }
    for (const auto& member : object.GetObject()) {
        const std::string name{member.name.GetString(), member.name.GetStringLength()};
        out << name << ':' << std::string(width - name.size() + 1, ' ')
            << text_of(object, name.c_str()) << '\n';
    }
}

ExitStatus report_refusal(Context& context, const HttpResponse& response) {
    const auto document = parse_json(response.body);
    std::string code = "-", message;
    if (document.HasMember("error") && document["error"].IsObject()) {
        code = text_of(document["error"], "code");
        message = text_of(document["error"], "message");
    } else {
        message = response.body.substr(0, 200);
    }
    context.err << "backupctl: " << response.status << ' ' << code << ": " << message << '\n';
    if (context.json) context.out << response.body << (response.body.ends_with('\n') ? "" : "\n");
    return exit_for_http_status(response.status);
}

}  // namespace backupd::cli
