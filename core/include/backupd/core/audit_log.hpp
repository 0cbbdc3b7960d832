#pragma once
// The audit log port: append-only records, read back by time range.
//
// Thread-safety and errors: as for JobQueue (see job_queue.hpp).

#include <cstddef>
#include <functional>
#include <span>

#include "backupd/core/audit.hpp"

namespace backupd::core {

class AuditLog {
public:
    virtual ~AuditLog() = default;

    virtual AuditId append(const NewAuditRecord& record) = 0;

    // One page of matching records, oldest first, at most `query.limit` of them.
    virtual AuditPage page(const AuditQuery& query) = 0;

    // Every matching record, oldest first, handed over `batch_size` at a time so memory stays
    // flat however many match. `sink` returns false to stop early. `query.limit` is ignored.
    virtual void scan(const AuditQuery& query, std::size_t batch_size,
                      const std::function<bool(std::span<const AuditRecord>)>& sink) = 0;
};

}  // namespace backupd::core
