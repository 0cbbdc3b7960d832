#pragma once
// The error kinds shared by every module. One kind decides both the HTTP status a request gets
// and whether a job is retried, so adapters (store, worker) map their own failures onto these.

#include <stdexcept>
#include <string>
#include <string_view>

namespace backupd::core {

enum class ErrorKind {
    transient,  // the database or a resource is unavailable now; retrying later may succeed
    conflict,   // the operation clashes with the current state (a unique key, a state change)
    not_found,  // the thing named does not exist
    internal,   // a bug or an unexpected failure; not retried
};

std::string_view to_string(ErrorKind kind);

// An error with a kind, a message safe to show a client (no SQL, no server paths), and a detail
// for the operator log. Thrown across port boundaries for the unexpected; expected outcomes are
// plain return values.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string public_message, std::string detail = {})
        : std::runtime_error(public_message),
          kind_(kind),
          detail_(detail.empty() ? public_message : std::move(detail)) {}

    ErrorKind kind() const noexcept { return kind_; }
    // The full story, possibly with SQL or paths: for the operator log only.
    const std::string& detail() const noexcept { return detail_; }

private:
    ErrorKind kind_;
    std::string detail_;
};

}  // namespace backupd::core
