// Fixture of the proxy_layering_* tests (never compiled): common/ may include net/.
#pragma once
#include "net/client_stream.hpp"
