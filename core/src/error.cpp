#include "backupd/core/error.hpp"

namespace backupd::core {

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::transient: return "transient";
        case ErrorKind::conflict: return "conflict";
        case ErrorKind::not_found: return "not_found";
        case ErrorKind::internal: return "internal";
    }
    return "internal";
}

}  // namespace backupd::core
