#include "backupd/core/audited_queries.hpp"

namespace backupd::core {
namespace {

// The one place that writes the record a logs or stats request owes the audit log.
void audit_request(AuditLog& audit, AuditAction action,
                   const std::optional<std::string>& client_address, AuditStatus status,
                   std::string message) {
    NewAuditRecord record;
    record.action = action;
    record.status = status;
    record.message = std::move(message);
    record.client_address = client_address;
    audit.append(record);
}

// An invalid request leaves a FAILED record with its reason and reads nothing.
std::optional<InvalidRequest> refused(AuditLog& audit, AuditAction action,
                                      const std::optional<std::string>& client_address,
                                      const InvalidRequest* invalid) {
    if (!invalid) return std::nullopt;
    audit_request(audit, action, client_address, AuditStatus::failed, invalid->reason);
    return *invalid;
}

}  // namespace

AuditBatches::AuditBatches(AuditLog& audit, const AuditQuery& query, std::size_t batch_size)
    : audit_(audit), query_(query) {
    query_.limit = batch_size;
}

std::optional<AuditBatches::Batch> AuditBatches::next() {
    if (done_) return std::nullopt;
    AuditPage page = audit_.page(query_);
    Batch batch{std::move(page.records), !page.next};
    if (page.next) {
        query_.after = page.next;
    } else {
        done_ = true;
    }
    return batch;
}

LogsResult query_logs(AuditLog& audit, const std::variant<LogsQuery, InvalidRequest>& request,
                      const std::optional<std::string>& client_address, std::size_t stream_batch) {
    LogsResult out;
    out.invalid =
        refused(audit, AuditAction::get_log, client_address, std::get_if<InvalidRequest>(&request));
    if (out.invalid) return out;
    const auto& wanted = std::get<LogsQuery>(request);
    audit_request(audit, AuditAction::get_log, client_address, AuditStatus::success,
                  wanted.described);
    if (wanted.paged) {
        out.page = audit.page(wanted.query);
    } else {
        out.all = std::make_shared<AuditBatches>(audit, wanted.query, stream_batch);
    }
    return out;
}

StatsResult read_stats(JobQueue& jobs, AuditLog& audit,
                       const std::optional<InvalidRequest>& invalid,
                       const std::optional<std::string>& client_address) {
    StatsResult out;
    out.invalid =
        refused(audit, AuditAction::get_stats, client_address, invalid ? &*invalid : nullptr);
    if (out.invalid) return out;
    out.stats = jobs.stats();
    audit_request(audit, AuditAction::get_stats, client_address, AuditStatus::success,
                  "total " + std::to_string(out.stats.total) + ", succeeded " +
                      std::to_string(out.stats.succeeded) + ", failed " +
                      std::to_string(out.stats.failed));
    return out;
}

DailyStatsResult read_daily_stats(JobQueue& jobs, AuditLog& audit,
                                  const std::variant<DailyStatsQuery, InvalidRequest>& request,
                                  const std::optional<std::string>& client_address) {
    DailyStatsResult out;
    out.invalid = refused(audit, AuditAction::get_stats, client_address,
                          std::get_if<InvalidRequest>(&request));
    if (out.invalid) return out;
    out.query = std::get<DailyStatsQuery>(request);
    const TimeRange finished = whole_utc_days(std::chrono::year_month_day{out.query.from},
                                              std::chrono::year_month_day{out.query.to});
    out.days = every_day(out.query, jobs.daily_counts(out.query.kind, finished));
    DayCounts total;
    for (const DayCounts& day : out.days) {
        total.succeeded += day.succeeded;
        total.failed += day.failed;
        total.cancelled += day.cancelled;
    }
    audit_request(audit, AuditAction::get_stats, client_address, AuditStatus::success,
                  "daily " + std::string(to_string(out.query.kind)) + " " +
                      format_day(out.query.from) + " to " + format_day(out.query.to) +
                      ": succeeded " + std::to_string(total.succeeded) + ", failed " +
                      std::to_string(total.failed) + ", cancelled " +
                      std::to_string(total.cancelled));
    return out;
}

}  // namespace backupd::core
