#pragma once
// Appending an audit record inside a caller's transaction, so a job's state change and its
// audit record commit together (used by the job queue and the audit log alike).

#include <soci/soci.h>

#include "backupd/core/audit.hpp"
#include "dialect.hpp"

namespace backupd::store {

core::AuditId insert_audit_record(soci::session& sql, const Dialect& dialect,
                                  const core::NewAuditRecord& record);

}  // namespace backupd::store
