#include "backupd/store/sql_audit_log.hpp"

#include <boost/optional.hpp>

#include "audit_writer.hpp"
#include "backupd/core/error.hpp"
#include "column_text.hpp"
#include "connection_pool.hpp"
#include "optional_values.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

constexpr const char* kInsertAuditAt =
    "INSERT INTO audit_log (at, action, status, folder, job_id, message, client_address) "
    "VALUES (:at, :action, :status, :folder, :job_id, :message, :client_address)";

constexpr char kInsertAuditNow[] =
    "INSERT INTO audit_log (at, action, status, folder, job_id, message, client_address) "
    "VALUES ({now}, :action, :status, :folder, :job_id, :message, :client_address)";

// The page query is assembled from these fragments; every value is a bound parameter.
constexpr const char* kSelectAudit =
    "SELECT id, at, action, status, folder, job_id, message, client_address FROM audit_log";
constexpr const char* kAfterCursor = "at >= :after_at AND (at > :after_at2 OR id > :after_id)";
constexpr const char* kFrom = "at >= :from";
constexpr const char* kTo = "at <= :to";
constexpr const char* kAction = "action = :action";
constexpr const char* kStatus = "status = :status";
constexpr const char* kOrderAndLimit = " ORDER BY at, id LIMIT :limit";

struct AuditRow {
    long long id = 0;
    std::string at;
    std::string action;
    std::string status;
    boost::optional<std::string> folder;
    boost::optional<long long> job_id;
    std::string message;
    boost::optional<std::string> client_address;

    void bind_into(Statement& statement) {
        statement.into(id).into(at).into(action).into(status).into(folder).into(job_id);
        statement.into(message).into(client_address);
    }

    core::AuditRecord to_record() const {
        const auto parsed_action = core::parse_audit_action(action);
        const auto parsed_status = core::parse_audit_status(status);
        if (!parsed_action || !parsed_status) {
            throw core::Error(core::ErrorCode::internal_error, "database error",
                              "audit record " + std::to_string(id) + " has unknown action '" +
                                  action + "' or status '" + status + "'");
        }
        core::AuditRecord record;
        record.id = id;
        record.at = db_time(at);
        record.action = *parsed_action;
        record.status = *parsed_status;
        if (folder) record.folder = *folder;
        if (job_id) record.job_id = *job_id;
        record.message = message;
        if (client_address) record.client_address = *client_address;
        return record;
    }
};

// The bound values of one page query; they must outlive the statement.
struct PageParameters {
    std::string after_at;
    long long after_id = 0;
    std::string from;
    std::string to;
    std::string action;
    std::string status;
    long long limit = 0;
};

core::AuditPage read_page(soci::session& sql, const core::AuditQuery& query) {
    PageParameters p;
    std::string text = kSelectAudit;
    const char* joiner = " WHERE ";
    const auto add = [&](const char* condition) {
        text += joiner;
        text += condition;
        joiner = " AND ";
    };
    if (query.after) {
        add(kAfterCursor);
        p.after_at = core::format_db_time(query.after->at);
        p.after_id = query.after->id;
    }
    if (query.range) {
        add(kFrom);
        add(kTo);
        p.from = core::format_db_time(query.range->from);
        p.to = core::format_db_time(query.range->to);
    }
    if (query.action) {
        add(kAction);
        p.action = std::string(core::to_string(*query.action));
    }
    if (query.status) {
        add(kStatus);
        p.status = std::string(core::to_string(*query.status));
    }
    text += kOrderAndLimit;
    // One row more than asked tells whether another page follows.
    p.limit = static_cast<long long>(query.limit) + 1;

    Statement statement(sql, text);
    AuditRow row;
    row.bind_into(statement);
    if (query.after) {
        statement.use(p.after_at, "after_at").use(p.after_at, "after_at2");
        statement.use(p.after_id, "after_id");
    }
    if (query.range) statement.use(p.from, "from").use(p.to, "to");
    if (query.action) statement.use(p.action, "action");
    if (query.status) statement.use(p.status, "status");
    statement.use(p.limit, "limit");

    core::AuditPage page;
    for (bool more = statement.first(); more; more = statement.next()) {
        if (page.records.size() == query.limit) {
            const auto& last = page.records.back();
            page.next = core::AuditCursor{last.at, last.id};
            break;
        }
        page.records.push_back(row.to_record());
    }
    return page;
}

}  // namespace

core::AuditId insert_audit_record(soci::session& sql, const Dialect& dialect,
                                  const core::NewAuditRecord& record) {
    const std::string action(core::to_string(record.action));
    const std::string status(core::to_string(record.status));
    const auto folder = to_boost<std::string>(optional_column_text(record.folder, kFolderChars));
    const std::string message = column_text(record.message, kMessageChars);
    boost::optional<long long> job_id;
    if (record.job_id) job_id = *record.job_id;
    const auto client_address =
        to_boost<std::string>(optional_column_text(record.client_address, kShortTextChars));
    const std::string at = record.at ? core::format_db_time(*record.at) : std::string();

    Statement statement(
        sql, record.at ? std::string(kInsertAuditAt) : rendered<kInsertAuditNow>(dialect));
    if (record.at) statement.use(at, "at");
    statement.use(action, "action").use(status, "status").use(folder, "folder");
    statement.use(job_id, "job_id").use(message, "message");
    statement.use(client_address, "client_address");
    statement.run();

    long long id = 0;
    if (!sql.get_last_insert_id("audit_log", id)) {
        throw core::Error(core::ErrorCode::internal_error, "database error",
                          "no id for audit record");
    }
    return id;
}

core::AuditId SqlAuditLog::append(const core::NewAuditRecord& record) {
    const Dialect& dialect = dialect_for(database_.backend());
    return in_transaction(database_.pool(), dialect, [&](soci::session& sql) {
        return insert_audit_record(sql, dialect, record);
    });
}

core::AuditPage SqlAuditLog::page(const core::AuditQuery& query) {
    if (query.limit == 0) return {};
    return in_read(database_.pool(), [&](soci::session& sql) { return read_page(sql, query); });
}

}  // namespace backupd::store
