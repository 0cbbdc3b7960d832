#pragma once
// The audit log on SQLite or MySQL. Thread-safety: as core::AuditLog.

#include "backupd/core/audit_log.hpp"
#include "backupd/store/database.hpp"

namespace backupd::store {

class SqlAuditLog final : public core::AuditLog {
public:
    explicit SqlAuditLog(Database& database) : database_(database) {}

    core::AuditId append(const core::NewAuditRecord& record) override;
    core::AuditPage page(const core::AuditQuery& query) override;

private:
    Database& database_;
};

}  // namespace backupd::store
