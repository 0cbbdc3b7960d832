#pragma once
// What an API token may do (docs/design.md section 8): `read` (every GET and HEAD), `backup`
// (submit backups, cancel jobs, restore into the restore root, verify) and `admin` (plans,
// snapshot delete and pin, in-place restore, and any route not named otherwise). `read` and
// `backup` are independent, so a monitoring token can be read-only and a backup client's token
// need not read the audit log; `admin` grants everything. Plain values, no I/O.

#include <cstdint>
#include <optional>
#include <string_view>

namespace backupd::api {

enum class Scope : std::uint8_t { read = 1, backup = 2, admin = 4 };

// A set of scopes, as a token file line grants them.
class ScopeSet {
public:
    constexpr ScopeSet() = default;
    static constexpr ScopeSet all() { return ScopeSet(kAllBits); }
    static constexpr ScopeSet from_bits(std::uint8_t bits) { return ScopeSet(bits & kAllBits); }

    constexpr void add(Scope scope) { bits_ |= static_cast<std::uint8_t>(scope); }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr std::uint8_t bits() const { return bits_; }

    // True when a request needing `scope` is allowed: the scope itself, or `admin`.
    constexpr bool grants(Scope scope) const {
        return (bits_ & (static_cast<std::uint8_t>(scope) | kAdminBit)) != 0;
    }

    friend constexpr bool operator==(ScopeSet, ScopeSet) = default;

private:
    static constexpr std::uint8_t kAdminBit = static_cast<std::uint8_t>(Scope::admin);
    static constexpr std::uint8_t kAllBits = 7;
    constexpr explicit ScopeSet(std::uint8_t bits) : bits_(bits) {}
    std::uint8_t bits_ = 0;
};

std::string_view to_string(Scope scope);
// "read", "backup" or "admin"; nullopt for anything else (case-sensitive).
std::optional<Scope> parse_scope(std::string_view word);

}  // namespace backupd::api
