#pragma once
// api/openapi.yaml, embedded at build time (cmake/embed_text.cmake).

#include <string_view>

namespace backupd::api::detail {

std::string_view openapi_document();

}  // namespace backupd::api::detail
