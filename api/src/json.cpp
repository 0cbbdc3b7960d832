#include "backupd/api/json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace backupd::api {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, std::string_view text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

HttpResponse error_response(int status, std::string_view code, std::string_view message) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("error");
    writer.StartObject();
    writer.Key("code");
    write_string(writer, code);
    writer.Key("message");
    write_string(writer, message);
    writer.EndObject();
    writer.EndObject();
    HttpResponse response;
    response.status = status;
    response.body.assign(buffer.GetString(), buffer.GetSize());
    return response;
}

std::string status_body(std::string_view status) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("status");
    write_string(writer, status);
    writer.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace backupd::api
