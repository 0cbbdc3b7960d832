#pragma once
// The migrations compiled into the binary (generated from schema/ by
// cmake/embed_migrations.cmake), in version order starting at 1.

#include <string_view>
#include <vector>

namespace backupd::store::detail {

struct EmbeddedMigration {
    int version;
    std::string_view name;
    std::string_view sql;
};

const std::vector<EmbeddedMigration>& mysql_migrations();
const std::vector<EmbeddedMigration>& sqlite_migrations();

}  // namespace backupd::store::detail
