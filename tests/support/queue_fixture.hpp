#pragma once
// A migrated scratch database with a job queue and an audit log on it.

#include <chrono>
#include <memory>

#include "backupd/store/database.hpp"
#include "backupd/store/migrations.hpp"
#include "backupd/store/sql_audit_log.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "printing.hpp"
#include "scratch_database.hpp"

namespace backupd::testing {

struct QueueFixture {
    ScratchDatabase scratch;
    std::unique_ptr<store::Database> database = scratch.open();
    store::SqlAuditLog audit{*database};
    store::SqlJobQueue queue{*database};

    QueueFixture() { store::migrate(*database); }

    // A queue on the same database whose claims last `lease`.
    std::unique_ptr<store::SqlJobQueue> queue_with_lease(std::chrono::milliseconds lease) {
        return std::make_unique<store::SqlJobQueue>(*database, store::QueueOptions{lease});
    }

    // Every audit record, oldest first.
    std::vector<core::AuditRecord> all_audit_records() {
        core::AuditQuery query;
        query.limit = 10000;
        return audit.page(query).records;
    }
};

}  // namespace backupd::testing
