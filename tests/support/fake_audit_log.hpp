#pragma once
// An in-memory core::AuditLog for unit tests: records in append order with ids from 1, read
// back with the port's filters (range, action, status), keyset cursor and limit. Thread-safe.

#include <mutex>
#include <vector>

#include "backupd/core/audit_log.hpp"

namespace backupd::testing {

class FakeAuditLog : public core::AuditLog {
public:
    core::AuditId append(const core::NewAuditRecord& wanted) override {
        std::lock_guard lock(mutex_);
        core::AuditRecord record;
        record.id = static_cast<core::AuditId>(records_.size()) + 1;
        record.at = wanted.at.value_or(core::now_utc());
        record.action = wanted.action;
        record.status = wanted.status;
        record.folder = wanted.folder;
        record.job_id = wanted.job_id;
        record.message = wanted.message;
        record.client_address = wanted.client_address;
        records_.push_back(record);
        return record.id;
    }

    core::AuditPage page(const core::AuditQuery& query) override {
        std::lock_guard lock(mutex_);
        ++pages_;
        core::AuditPage page;
        for (const auto& record : records_) {
            if (!matches(query, record)) continue;
            if (page.records.size() == query.limit) {
                const auto& last = page.records.back();
                page.next = core::AuditCursor{last.at, last.id};
                break;
            }
            page.records.push_back(record);
        }
        return page;
    }

    // For assertions: every record so far, in append order; how many pages were read.
    std::vector<core::AuditRecord> records() const {
        std::lock_guard lock(mutex_);
        return records_;
    }
    int pages() const {
        std::lock_guard lock(mutex_);
        return pages_;
    }

private:
    // Records are appended in time order here, so (at, id) order is append order.
    static bool matches(const core::AuditQuery& query, const core::AuditRecord& record) {
        if (query.range && (record.at < query.range->from || record.at > query.range->to))
            return false;
        if (query.action && record.action != *query.action) return false;
        if (query.status && record.status != *query.status) return false;
        if (query.after && (record.at < query.after->at ||
                            (record.at == query.after->at && record.id <= query.after->id))) {
            return false;
        }
        return true;
    }

    mutable std::mutex mutex_;
    std::vector<core::AuditRecord> records_;
    int pages_ = 0;
};

}  // namespace backupd::testing
