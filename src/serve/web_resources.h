#pragma once
// Files embedded at build time (src/serve/CMakeLists.txt): the web page served at GET / and the committed
// OpenAPI 3 spec (docs/openapi.json, the one source) served at GET /openapi.json.
#include <string_view>

namespace fastintent::serve {

std::string_view WebPageHtml();
std::string_view OpenApiJson();

}  // namespace fastintent::serve
