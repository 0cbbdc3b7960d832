#include "column_text.hpp"

#include "backupd/core/utf8.hpp"

namespace backupd::store {

std::string column_text(std::string_view text, std::size_t max_chars) {
    return core::to_valid_utf8(text, max_chars);
}

}  // namespace backupd::store
