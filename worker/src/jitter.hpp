#pragma once
// Jittered intervals, so idle loops on many nodes do not ask the database in lockstep.

#include <chrono>
#include <cstdint>
#include <random>

namespace backupd::worker::detail {

// `base` +-25%.
inline std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
    thread_local std::mt19937 random{std::random_device{}()};
    std::uniform_real_distribution<double> factor(0.75, 1.25);
    return std::chrono::milliseconds{
        static_cast<std::int64_t>(static_cast<double>(base.count()) * factor(random))};
}

}  // namespace backupd::worker::detail
