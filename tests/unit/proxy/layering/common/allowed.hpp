// Fixture of the proxy_layering_* tests (never compiled): common/ may include net/.
#pragma once
#include "net/stream.hpp"
