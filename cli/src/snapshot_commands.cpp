// snapshots, ls, get, restore, verify.
#include <cerrno>
#include <cstring>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "commands.hpp"

namespace backupd::cli {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, const std::string& text) {
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

ExitStatus snapshots(const Invocation& invocation, Context& context) {
    const std::optional<std::string> folder =
        invocation.args.empty() ? std::nullopt : std::optional{invocation.args[0]};
    const auto target =
        "/api/v1/snapshots" +
        query_string({{"folder", folder}, {"limit", invocation.value("limit").value_or("100")}});
    return answer(context, context.client.request("GET", target), [&](const auto& document) {
        std::vector<std::vector<std::string>> rows{
            {"ID", "FOLDER", "NAME", "CREATED", "FILES", "BYTES", "VERIFIED", "PINNED"}};
        if (document.HasMember("snapshots")) {
            for (const auto& snapshot : array_of(document, "snapshots").GetArray()) {
                rows.push_back({text_of(snapshot, "id"), text_of(snapshot, "folder"),
                                text_of(snapshot, "name"), text_of(snapshot, "created_at"),
                                text_of(snapshot, "files"), text_of(snapshot, "bytes"),
                                text_of(snapshot, "verify_state"), text_of(snapshot, "pinned")});
            }
        }
        print_table(context.out, rows);
    });
}

// ls SNAPSHOT [PATH]: every page of the directory; --json prints one DirectoryPage holding them
// all.
ExitStatus ls(const Invocation& invocation, Context& context) {
    const auto id = parse_id(invocation.args[0], "snapshot id");
    const std::optional<std::string> path =
        invocation.args.size() > 1 ? std::optional{invocation.args[1]} : std::nullopt;
    rapidjson::Document all;
    all.SetObject();
    rapidjson::Value entries(rapidjson::kArrayType);
    std::optional<std::string> cursor;
    do {
        const auto response = context.client.request(
            "GET", "/api/v1/snapshots/" + std::to_string(id) + "/files" +
                       query_string({{"path", path}, {"limit", "1000"}, {"cursor", cursor}}));
        if (response.status != 200) return report_refusal(context, response);
        auto page = parse_json(response.body);
        if (page.HasMember("entries") && page["entries"].IsArray()) {
            for (auto& entry : array_of(page, "entries").GetArray()) {
                entries.PushBack(rapidjson::Value(entry, all.GetAllocator()), all.GetAllocator());
            }
        }
        cursor.reset();
        if (page.HasMember("next") && page["next"].IsString()) cursor = page["next"].GetString();
    } while (cursor);
    if (context.json) {
        all.AddMember("entries", entries, all.GetAllocator());
        all.AddMember("next", rapidjson::Value(), all.GetAllocator());
        context.out << compact(all) << '\n';
        return ExitStatus::success;
    }
    std::vector<std::vector<std::string>> rows{{"TYPE", "MODE", "SIZE", "MTIME", "NAME"}};
    for (const auto& entry : entries.GetArray()) {
        std::string name = text_of(entry, "name");
        if (text_of(entry, "type") == "symlink") name += " -> " + text_of(entry, "target");
        if (text_of(entry, "type") == "dir") name += "/";
        // The API gives the mode as a number; people read it in octal.
        std::ostringstream mode;
        mode << std::oct << int_of(entry, "mode");
        rows.push_back({text_of(entry, "type"), mode.str(), text_of(entry, "size"),
                        text_of(entry, "mtime"), name});
    }
    print_table(context.out, rows);
    return ExitStatus::success;
}

// A file written under a temporary name beside its final one and renamed into place only once
// complete and flushed, so the final name never holds a partial download.
class AtomicFile {
public:
    explicit AtomicFile(std::string path)
        : path_(std::move(path)), temp_(path_ + ".backupctl-" + std::to_string(::getpid())) {
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd_ < 0) fail("cannot create " + temp_);
    }
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(temp_.c_str());
    }
    void write(const char* data, std::size_t size) {
        while (size > 0) {
            const auto written = ::write(fd_, data, size);
            if (written < 0 && errno == EINTR) continue;
            if (written < 0) fail("cannot write " + temp_);
            data += written;
            size -= static_cast<std::size_t>(written);
        }
    }
    void commit() {
        if (::fsync(fd_) != 0) fail("cannot flush " + temp_);
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) fail("cannot close " + temp_);
        if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot rename to " + path_);
        committed_ = true;
    }

private:
    [[noreturn]] static void fail(const std::string& what) {
        throw std::runtime_error(what + ": " + std::strerror(errno));
    }
    std::string path_, temp_;
    int fd_ = -1;
    bool committed_ = false;
};

ExitStatus get(const Invocation& invocation, Context& context) {
    const auto id = parse_id(invocation.args[0], "snapshot id");
    const auto target = "/api/v1/snapshots/" + std::to_string(id) + "/content" +
                        query_string({{"path", invocation.args[1]}});
    const auto output = invocation.value("output");
    if (!output || *output == "-") {
        const auto response =
            context.client.download(target, [&](const char* data, std::size_t size) {
                context.out.write(data, static_cast<std::streamsize>(size));
            });
        if (response.status != 200) return report_refusal(context, response);
        context.out.flush();
        return ExitStatus::success;
    }
    AtomicFile file(*output);
    const auto response = context.client.download(
        target, [&](const char* data, std::size_t size) { file.write(data, size); });
    if (response.status != 200) return report_refusal(context, response);
    file.commit();
    return ExitStatus::success;
}

// Prints an accepted job (or waits for it); a refusal carrying a failed job is exit 1.
ExitStatus job_answer(const Invocation& invocation, Context& context,
                      const HttpResponse& response) {
    if (response.status != 202 && response.status != 200) return report_refusal(context, response);
    const auto job = parse_json(response.body);
    if (invocation.has("wait")) return wait_for_jobs(context, {int_of(job, "id")});
    return answer(context, response, [&](const auto& document) {
        rapidjson::Document list;
        list.SetArray();
        list.PushBack(rapidjson::Value(document, list.GetAllocator()), list.GetAllocator());
        print_jobs(context.out, list);
    });
}

ExitStatus restore(const Invocation& invocation, Context& context) {
    const auto id = parse_id(invocation.args[0], "snapshot id");
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    writer.Key("snapshot");
    writer.Int64(id);
    if (invocation.has("path")) {
        writer.Key("paths");
        writer.StartArray();
        for (const auto& path : invocation.values("path")) write_string(writer, path);
        writer.EndArray();
    }
    if (const auto target = invocation.value("target")) {
        writer.Key("target");
        write_string(writer, *target);
    }
    if (const auto overwrite = invocation.value("overwrite")) {
        writer.Key("overwrite");
        write_string(writer, *overwrite);
    }
    if (invocation.has("in-place")) {
        writer.Key("in_place");
        writer.Bool(true);
    }
    writer.EndObject();
    return job_answer(invocation, context,
                      context.client.request("POST", "/api/v1/restores",
                                             std::string{buffer.GetString(), buffer.GetSize()}));
}

ExitStatus verify(const Invocation& invocation, Context& context) {
    const auto id = parse_id(invocation.args[0], "snapshot id");
    return job_answer(
        invocation, context,
        context.client.request("POST", "/api/v1/snapshots/" + std::to_string(id) + "/verify"));
}

}  // namespace

ExitStatus run_snapshot_command(const Invocation& invocation, Context& context) {
    const auto& command = invocation.command;
    if (command == "snapshots") return snapshots(invocation, context);
    if (command == "ls") return ls(invocation, context);
    if (command == "get") return get(invocation, context);
    if (command == "restore") return restore(invocation, context);
    return verify(invocation, context);
}

}  // namespace backupd::cli
