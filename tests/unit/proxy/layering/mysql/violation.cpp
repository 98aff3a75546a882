// Fixture of the proxy_layering_* tests (never compiled): a MySQL data-plane file that
// includes the PostgreSQL plane, which proxy/check_layering.cmake must refuse.
#include "common/session_core.hpp"
#include "pg/worker.hpp"
