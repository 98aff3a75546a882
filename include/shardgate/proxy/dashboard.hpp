// The admin endpoint's live dashboard: its static files (one page, a script and a style sheet,
// compiled in) served at GET /, /dashboard.js and /dashboard.css (docs/admin.md).
#pragma once

#include <string_view>

namespace shardgate::proxy {

std::string_view dashboard_html();
std::string_view dashboard_js();
std::string_view dashboard_css();

} // namespace shardgate::proxy
