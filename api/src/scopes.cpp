#include "backupd/api/scopes.hpp"

namespace backupd::api {

std::string_view to_string(Scope scope) {
    switch (scope) {
        case Scope::read: return "read";
        case Scope::backup: return "backup";
        case Scope::admin: return "admin";
    }
    return "admin";
}

std::optional<Scope> parse_scope(std::string_view word) {
    for (const Scope scope : {Scope::read, Scope::backup, Scope::admin}) {
        if (word == to_string(scope)) return scope;
    }
    return std::nullopt;
}

}  // namespace backupd::api
