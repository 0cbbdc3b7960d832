#pragma once
// An in-memory core::PlanStore for unit tests: plans by name, next due time from the real
// Schedule and the wall clock. fire_due fires nothing (the real firing rules live in the
// database and are tested on both backends). Thread-safe (one mutex).

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <variant>

#include "backupd/core/error.hpp"
#include "backupd/core/plans.hpp"
#include "backupd/core/schedule.hpp"

namespace backupd::testing {

class FakePlanStore : public core::PlanStore {
public:
    core::Plan create(const core::PlanSpec& spec) override {
        std::lock_guard lock(mutex_);
        if (plans_.contains(spec.name))
            throw core::Error(core::ErrorCode::plan_exists,
                              core::message_for(core::ErrorCode::plan_exists, spec.name));
        return plans_[spec.name] = made(spec, core::now_utc());
    }

    std::optional<core::Plan> replace(const core::PlanSpec& spec) override {
        std::lock_guard lock(mutex_);
        const auto found = plans_.find(spec.name);
        if (found == plans_.end()) return std::nullopt;
        return found->second = made(spec, found->second.created_at);
    }

    bool remove(std::string_view name) override {
        std::lock_guard lock(mutex_);
        return plans_.erase(std::string(name)) > 0;
    }

    std::optional<core::Plan> find(std::string_view name) override {
        std::lock_guard lock(mutex_);
        const auto found = plans_.find(std::string(name));
        if (found == plans_.end()) return std::nullopt;
        return found->second;
    }

    std::vector<core::Plan> list() override {
        std::lock_guard lock(mutex_);
        std::vector<core::Plan> out;
        for (const auto& [name, plan] : plans_) out.push_back(plan);
        return out;
    }

    std::vector<core::FiredRun> fire_due(std::size_t /*limit*/) override { return {}; }

    // Lets a test set what the database would derive (last run, counts).
    void update(std::string_view name, const std::function<void(core::Plan&)>& change) {
        std::lock_guard lock(mutex_);
        change(plans_.at(std::string(name)));
    }

private:
    static core::Plan made(const core::PlanSpec& spec, core::Timestamp created_at) {
        core::Plan plan;
        plan.spec = spec;
        plan.created_at = created_at;
        plan.updated_at = core::now_utc();
        const auto zone = core::TimeZone::find(spec.time_zone);
        if (spec.enabled && zone) {
            const auto schedule = core::Schedule::parse(spec.schedule, *zone);
            if (const auto* parsed = std::get_if<core::Schedule>(&schedule))
                plan.next_run_at = parsed->next_after(plan.updated_at);
        }
        return plan;
    }

    std::mutex mutex_;
    std::map<std::string, core::Plan, std::less<>> plans_;
};

}  // namespace backupd::testing
