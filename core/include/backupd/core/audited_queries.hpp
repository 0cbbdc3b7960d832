#pragma once
// The audited reads: GET logs and GET stats. The rule "every logs or stats request leaves
// exactly one audit record, SUCCESS describing what was read, or FAILED with the reason when
// the request was invalid" lives here, once. Plain functions over the ports: no HTTP, no JSON.
//
// Thread-safety: as the ports they call; they block on the database.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "backupd/core/audit.hpp"
#include "backupd/core/audit_log.hpp"
#include "backupd/core/daily_stats.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/core/stats.hpp"

namespace backupd::core {

// A request the caller could not accept, with the reason (fit for a 400 answer and for the
// FAILED audit record).
struct InvalidRequest {
    std::string reason;
};

// A logs request as the caller read it.
struct LogsQuery {
    AuditQuery query;
    bool paged = false;     // one page and a cursor; otherwise every match, streamed
    std::string described;  // what was asked, for the audit record ("from ... to ...")
};

// Every record matching a query, a batch at a time, so memory stays flat however many match.
// Not thread-safe: one reader at a time.
class AuditBatches {
public:
    AuditBatches(AuditLog& audit, const AuditQuery& query, std::size_t batch_size);

    struct Batch {
        std::vector<AuditRecord> records;  // oldest first
        bool last = false;
    };
    // The next batch, or nullopt once the last one has been returned.
    std::optional<Batch> next();

private:
    AuditLog& audit_;
    AuditQuery query_;
    bool done_ = false;
};

struct LogsResult {
    std::optional<InvalidRequest> invalid;  // set: nothing was read
    std::optional<AuditPage> page;          // a paged query
    std::shared_ptr<AuditBatches> all;      // an unpaged query: read as the client reads
};

// Writes the request's `Get Log` audit record first (so an unpaged read includes it), then reads.
LogsResult query_logs(AuditLog& audit, const std::variant<LogsQuery, InvalidRequest>& request,
                      const std::optional<std::string>& client_address,
                      std::size_t stream_batch = 500);

struct StatsResult {
    std::optional<InvalidRequest> invalid;  // set: nothing was read
    Stats stats;
};

// Reads the counts, then writes the request's `Get Stats` audit record naming them.
StatsResult read_stats(JobQueue& jobs, AuditLog& audit,
                       const std::optional<InvalidRequest>& invalid,
                       const std::optional<std::string>& client_address);

struct DailyStatsResult {
    std::optional<InvalidRequest> invalid;  // set: nothing was read
    DailyStatsQuery query;
    std::vector<DayCounts> days;  // every day of the query, oldest first, zeros filled
};

// Reads the per-day counts, then writes the request's `Get Stats` audit record naming the range
// and the totals; an invalid request reads nothing and leaves a FAILED record with the reason.
DailyStatsResult read_daily_stats(JobQueue& jobs, AuditLog& audit,
                                  const std::variant<DailyStatsQuery, InvalidRequest>& request,
                                  const std::optional<std::string>& client_address);

}  // namespace backupd::core
