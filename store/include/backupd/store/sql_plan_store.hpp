#pragma once
// Plans on SQLite or MySQL (docs/design.md section "Plans"): the plans table, and firing due
// runs into the job queue's table. One class, its methods spread by concern:
// store/src/plan_writes.cpp (create, replace, remove), plan_reads.cpp (find, list, with what
// they derive from the plan's jobs and snapshots) and plan_firing.cpp (fire_due).
//
// Exactly once across daemons sharing the database: firing a due time is one transaction that
// moves the plan's next_run_at by compare-and-set and creates the job (or the skip record); the
// daemon whose compare fails leaves the plan alone. A unique key on jobs (plan, scheduled_for)
// backs it up.
//
// Thread-safety: as core::PlanStore (each call leases its own connection; calls block).

#include "backupd/core/plans.hpp"
#include "backupd/store/database.hpp"

namespace backupd::store {

class SqlPlanStore final : public core::PlanStore {
public:
    explicit SqlPlanStore(Database& database) : database_(database) {}

    // The spec has passed core::check_plan: its schedule parses and its time zone exists
    // (otherwise core::Error invalid_request).
    core::Plan create(const core::PlanSpec& spec) override;
    std::optional<core::Plan> replace(const core::PlanSpec& spec) override;
    bool remove(std::string_view name) override;
    std::optional<core::Plan> find(std::string_view name) override;
    std::vector<core::Plan> list() override;
    // Plans due by the database's clock, oldest due first; a plan whose stored schedule no
    // longer parses is skipped with an error in the log rather than blocking the others.
    std::vector<core::FiredRun> fire_due(std::size_t limit) override;

private:
    Database& database_;
};

}  // namespace backupd::store
