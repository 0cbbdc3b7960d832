#pragma once
// Maps SOCI's errors onto core::Error kinds. Only the store sees soci_error.

#include <soci/soci.h>

#include "backupd/core/error.hpp"

namespace backupd::store {

enum class Failure {
    connection,  // the connection is gone: discard it
    retryable,   // deadlock, lock-wait timeout, SQLITE_BUSY: the transaction was rolled back
    duplicate,   // a unique key clashed (never another constraint: CHECK, NOT NULL, ...)
    other,
};

Failure classify(const soci::soci_error& error);

// The core error for `error`: a public message without SQL, the full text as detail.
core::Error translate(const soci::soci_error& error);

}  // namespace backupd::store
