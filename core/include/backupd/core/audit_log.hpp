#pragma once
// The audit log port: append-only records, read back by time range one page at a time.
//
// Thread-safety and errors: as for JobQueue (see job_queue.hpp).

#include "backupd/core/audit.hpp"

namespace backupd::core {

class AuditLog {
public:
    virtual ~AuditLog() = default;

    virtual AuditId append(const NewAuditRecord& record) = 0;

    // One page of matching records, oldest first, at most `query.limit` of them.
    virtual AuditPage page(const AuditQuery& query) = 0;
};

}  // namespace backupd::core
