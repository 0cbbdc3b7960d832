#include "dialect.hpp"

#include <fmt/format.h>

namespace backupd::store {
namespace {

constexpr Dialect kMysql{
    .backend = Backend::mysql,
    .now = "NOW(6)",
    .lease_deadline = "NOW(6) + INTERVAL :lease_us MICROSECOND",
    .retry_time = "NOW(6) + INTERVAL :backoff_us MICROSECOND",
    .begin = "START TRANSACTION",
    .skip_locked = " FOR UPDATE SKIP LOCKED",
    .for_update = " FOR UPDATE",
};

constexpr Dialect kSqlite{
    .backend = Backend::sqlite,
    .now = "backupd_now()",
    .lease_deadline = "backupd_now_plus_us(:lease_us)",
    .retry_time = "backupd_now_plus_us(:backoff_us)",
    .begin = "BEGIN IMMEDIATE",
    .skip_locked = "",
    .for_update = "",
    .single_writer = true,
};

}  // namespace

const Dialect& dialect_for(Backend backend) {
    return backend == Backend::mysql ? kMysql : kSqlite;
}

std::string render(std::string_view sql_template, const Dialect& dialect) {
    return fmt::format(fmt::runtime(sql_template), fmt::arg("now", dialect.now),
                       fmt::arg("lease_deadline", dialect.lease_deadline),
                       fmt::arg("retry_time", dialect.retry_time),
                       fmt::arg("skip_locked", dialect.skip_locked),
                       fmt::arg("for_update", dialect.for_update));
}

}  // namespace backupd::store
