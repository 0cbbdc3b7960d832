#include "backupd/core/plans.hpp"

#include <array>
#include <utility>
#include <variant>

#include "backupd/core/restores.hpp"
#include "backupd/core/schedule.hpp"
#include "backupd/core/time_zone.hpp"
#include "backupd/core/utf8.hpp"

namespace backupd::core {
namespace {

// Client text quoted in a message: valid UTF-8, at most this many characters.
constexpr std::size_t kQuotedChars = 64;

JobError invalid(std::string message) {
    return {ErrorCode::invalid_request, std::move(message)};
}

bool is_plan_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!letter_or_digit && (i == 0 || c != '-')) return false;
    }
    return true;
}

std::optional<JobError> check_retention(const Retention& retention) {
    const std::array<std::pair<const char*, const std::optional<std::int64_t>*>, 6> counts = {{
        {"keep_last", &retention.keep_last},
        {"keep_hourly", &retention.keep_hourly},
        {"keep_daily", &retention.keep_daily},
        {"keep_weekly", &retention.keep_weekly},
        {"keep_monthly", &retention.keep_monthly},
        {"keep_yearly", &retention.keep_yearly},
    }};
    for (const auto& [name, value] : counts) {
        if (*value && **value < 0)
            return invalid(std::string("retention.") + name + " must be a whole number >= 0");
    }
    if (retention.keep_within && retention.keep_within->size() > Retention::kMaxWithinChars) {
        return invalid("retention.keep_within: at most " +
                       std::to_string(Retention::kMaxWithinChars) + " characters");
    }
    if (retention.keep_within && !parse_duration(*retention.keep_within)) {
        return invalid("retention.keep_within: '" +
                       to_valid_utf8(*retention.keep_within, kQuotedChars) +
                       "' is not a duration (30s, 15m, 6h, 1d)");
    }
    return std::nullopt;
}

// The plan's time zone; UTC for a name the tzdata no longer knows (a stored plan was checked
// when it was stored, so this only happens after a tzdata change).
TimeZone zone_of(const PlanSpec& spec) {
    return TimeZone::find(spec.time_zone).value_or(TimeZone{});
}

Job enqueued(const PlanPorts& ports, const NewJob& wanted) {
    Job job = ports.jobs.enqueue(wanted);
    if (!wanted.rejection) ports.job_queued();
    return job;
}

}  // namespace

std::optional<JobError> check_plan(const PlanSpec& spec, const SourceFolders& folders) {
    if (!is_plan_name(spec.name)) {
        return invalid(
            "name must be 1 to 64 characters of a-z, 0-9 and '-', starting with a "
            "letter or a digit");
    }
    if (auto refused = folders.check_name(spec.folder)) return refused;
    const auto zone = TimeZone::find(spec.time_zone);
    if (!zone) {
        return invalid("time_zone: unknown time zone '" +
                       to_valid_utf8(spec.time_zone, kQuotedChars) + "'");
    }
    const auto schedule = Schedule::parse(spec.schedule, *zone);
    if (const auto* message = std::get_if<std::string>(&schedule))
        return invalid("schedule: " + *message);
    return check_retention(spec.retention);
}

std::optional<std::chrono::seconds> plan_period(const PlanSpec& spec, Timestamp next_run_at) {
    const auto zone = TimeZone::find(spec.time_zone);
    if (!zone) return std::nullopt;
    const auto schedule = Schedule::parse(spec.schedule, *zone);
    const auto* parsed = std::get_if<Schedule>(&schedule);
    if (!parsed) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::seconds>(parsed->next_after(next_run_at) -
                                                            next_run_at);
}

std::optional<Job> run_plan_now(const PlanPorts& ports, std::string_view name,
                                const std::optional<std::string>& client_address) {
    const auto plan = ports.plans.find(name);
    if (!plan) return std::nullopt;
    NewJob wanted;
    wanted.folder = plan->spec.folder;
    wanted.plan = plan->spec.name;
    wanted.client_address = client_address;
    // Refused like a submitted backup: a failed job, whose one `Backup` audit record the queue
    // writes, so statistics and the audit log agree.
    wanted.rejection = ports.folders.check(plan->spec.folder);
    return enqueued(ports, wanted);
}

std::optional<std::vector<RetentionDecision>> preview_prune(const PlanPorts& ports,
                                                            std::string_view name) {
    const auto plan = ports.plans.find(name);
    if (!plan) return std::nullopt;
    return apply_retention(ports.catalog.retention_candidates(plan->spec.folder),
                           plan->spec.retention, zone_of(plan->spec));
}

std::optional<Job> prune_plan(const PlanPorts& ports, std::string_view name,
                              const std::optional<std::string>& client_address) {
    const auto plan = ports.plans.find(name);
    if (!plan) return std::nullopt;
    NewJob wanted;
    wanted.folder = plan->spec.folder;
    wanted.kind = JobKind::prune;
    wanted.plan = plan->spec.name;
    wanted.client_address = client_address;
    return enqueued(ports, wanted);
}

Job delete_snapshot(const PlanPorts& ports, JobId snapshot,
                    const std::optional<std::string>& client_address) {
    const auto found = ports.catalog.find(snapshot);
    if (!found) {
        const JobError refusal = no_such_snapshot(snapshot);
        throw Error(refusal.code, refusal.message);
    }
    // Checked here for a precise answer; the prune job checks again (start_pruning skips a
    // snapshot pinned or put in use meanwhile).
    const auto refuse = [](const JobError& refusal) { throw Error(refusal.code, refusal.message); };
    if (found->pinned) refuse(snapshot_is_pinned(snapshot));
    for (const auto& candidate : ports.catalog.retention_candidates(found->folder)) {
        if (candidate.id == snapshot && candidate.in_use) refuse(snapshot_in_use(snapshot));
    }
    NewJob wanted;
    wanted.folder = found->folder;
    wanted.kind = JobKind::prune;
    wanted.snapshot_id = found->id;
    wanted.snapshot = found->path;
    wanted.client_address = client_address;
    return enqueued(ports, wanted);
}

}  // namespace backupd::core
