#pragma once
// The JSON codec: the only code that touches RapidJSON.

#include <string>
#include <string_view>

#include "backupd/api/http_message.hpp"

namespace backupd::api {

// {"error": {"code": CODE, "message": MESSAGE}} with `status` (DESIGN.md section 7).
HttpResponse error_response(int status, std::string_view code, std::string_view message);

// {"status": STATUS}
std::string status_body(std::string_view status);

}  // namespace backupd::api
