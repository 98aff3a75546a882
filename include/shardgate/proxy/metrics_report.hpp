// The admin endpoint's `GET /metrics`: the same monitor view and data-plane usage as
// `GET /status`, in the Prometheus text exposition format (version 0.0.4). docs/admin.md.
#pragma once

#include "shardgate/proxy/status_report.hpp"

#include <string>

namespace shardgate::proxy {

/// Every metric family with its HELP and TYPE lines; label values escaped as the format
/// requires. Counter names become `shardgate_<plane>_<name>_total`.
std::string metrics_text(const BackendRegistry& registry, const UsageReport& usage);

} // namespace shardgate::proxy
