#pragma once
// The bound values the job queue's writes share (job_writes.cpp, job_finish.cpp): each struct
// holds what one clause binds, so the clause and its values are written once.

#include <chrono>
#include <optional>
#include <string>

#include <boost/optional.hpp>

#include "backupd/core/job.hpp"
#include "column_text.hpp"
#include "optional_values.hpp"
#include "statement.hpp"

namespace backupd::store {

inline long long micros(std::chrono::microseconds duration) {
    return duration.count();
}

// The bound values of the condition every write after a claim carries: it takes effect only
// while the claim is still the job's current one.
struct Fence {
    long long id;
    std::string owner;
    std::string incarnation;
    int attempt;

    explicit Fence(const core::Claim& claim)
        : id(claim.job.id),
          owner(claim.owner.node),
          incarnation(claim.owner.incarnation),
          attempt(claim.job.attempt) {}

    void bind(Statement& statement) const {
        statement.use(id, "id").use(owner, "owner").use(incarnation, "incarnation");
        statement.use(attempt, "attempt");
    }
};

// Progress columns as bound values.
struct ProgressValues {
    long long files_copied;
    long long files_linked;
    long long bytes_copied;
    boost::optional<long long> files_total;
    boost::optional<long long> bytes_total;

    explicit ProgressValues(const core::Progress& p)
        : files_copied(p.files_copied),
          files_linked(p.files_linked),
          bytes_copied(p.bytes_copied),
          files_total(to_boost<long long>(p.files_total)),
          bytes_total(to_boost<long long>(p.bytes_total)) {}

    void bind(Statement& statement) const {
        statement.use(files_copied, "files_copied").use(files_linked, "files_linked");
        statement.use(bytes_copied, "bytes_copied").use(files_total, "files_total");
        statement.use(bytes_total, "bytes_total");
    }
};

// The error of a failed outcome as bound values (both NULL on success).
struct ErrorValues {
    boost::optional<std::string> code;
    boost::optional<std::string> message;

    explicit ErrorValues(const std::optional<core::JobError>& error) {
        if (!error) return;
        code = std::string(core::to_string(error->code));
        message = column_text(error->message, kMessageChars);
    }

    void bind(Statement& statement) const {
        statement.use(code, "error_code").use(message, "error_message");
    }
};

}  // namespace backupd::store
