// Building `GET /metrics` (Prometheus text format) from the health view and the data planes'
// usage (see metrics_report.hpp).
#include "shardgate/proxy/metrics_report.hpp"

#include "shardgate/version.hpp"

#include <cctype>
#include <fmt/format.h>
#include <sstream>

namespace shardgate::proxy {
namespace {

/// A label value with backslash, double quote and newline escaped.
std::string label_value(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

/// A metric name from a counter name: [a-zA-Z0-9_] only.
std::string metric_name(std::string_view text) {
    std::string out;
    for (const char c : text) {
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    }
    return out;
}

class Writer {
public:
    /// Starts a family: HELP and TYPE once.
    void family(std::string_view name, std::string_view type, std::string_view help) {
        out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    }
    template <class Value>
    void sample(std::string_view name, const std::string& labels, Value value) {
        out_ << name;
        if (!labels.empty()) {
            out_ << '{' << labels << '}';
        }
        out_ << ' ' << value << '\n';
    }
    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
};

/// A data-plane counter as Prometheus wants it: times in seconds (`_us` / `_ms` in the name
/// become `_seconds`, the value scaled), a maximum (`_max`, `_bytes_peak`), a level
/// (`_bytes_held`) or a bound (`_bytes_limit`) as a gauge, one `_total` on counters.
struct CounterMetric {
    std::string name;
    const char* type = "counter";
    double value = 0;
};

CounterMetric counter_metric(const std::string& counter, std::uint64_t raw) {
    CounterMetric m{"shardgate_" + metric_name(counter), "counter", double(raw)};
    for (const auto& [unit, scale] : {std::pair{"_us", 1e6}, std::pair{"_ms", 1e3}}) {
        const std::string_view u(unit);
        for (auto at = m.name.find(u); at != std::string::npos; at = m.name.find(u, at + 1)) {
            const auto end = at + u.size();
            if (end == m.name.size() || m.name[end] == '_') {
                m.name.replace(at, u.size(), "_seconds");
                m.value /= scale;
                break;
            }
        }
    }
    const auto ends_with = [&](std::string_view tail) {
        return m.name.size() >= tail.size() &&
               m.name.compare(m.name.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (ends_with("_max") || ends_with("_bytes_held") || ends_with("_bytes_peak") ||
        ends_with("_bytes_limit")) {
        m.type = "gauge";
    } else if (!ends_with("_total")) {
        m.name += "_total";
    }
    return m;
}

std::string worker_labels(const WorkerUsage& worker) {
    return "protocol=\"" + label_value(worker.protocol) + "\",worker=\"" +
           std::to_string(worker.index) + "\"";
}

std::string backend_labels(const BackendInfo& info) {
    return "database=\"" + label_value(info.database) + "\",shard=\"" +
           label_value(info.shard_name) + "\",role=\"" +
           label_value(monitor::role_name(info.role)) + "\",endpoint=\"" +
           label_value(info.endpoint.to_string()) + "\"";
}

} // namespace

std::string metrics_text(const BackendRegistry& registry, const UsageReport& usage) {
    const auto view = registry.view();
    std::vector<const BackendInfo*> live;
    for (const auto& info : registry.backends()) {
        if (!info.retired && info.index < view->states.size()) {
            live.push_back(&info);
        }
    }
    const BackendUsage none;
    const auto used = [&](const BackendInfo& info) -> const BackendUsage& {
        return info.index < usage.backends.size() ? usage.backends[info.index] : none;
    };
    Writer w;
    w.family("shardgate_info", "gauge", "This proxy: version and id (always 1).");
    w.sample("shardgate_info",
             "version=\"" + label_value(shardgate::version) + "\",proxy_id=\"" +
                 label_value(registry.proxy_id()) + "\"",
             1);
    w.family("shardgate_map_epoch", "gauge", "Epoch of the shard map this proxy runs.");
    w.sample("shardgate_map_epoch", "", registry.map().epoch());

    w.family("shardgate_backend_up", "gauge",
             "1 when the health monitor sees the backend up, 0 when down or not probed yet.");
    for (const auto* info : live) {
        w.sample("shardgate_backend_up", backend_labels(*info),
                 view->states[info->index].health == monitor::Health::up ? 1 : 0);
    }
    w.family("shardgate_backend_lag_seconds", "gauge",
             "Replication lag routing uses (primaries 0); absent when unknown or infinite.");
    for (const auto* info : live) {
        if (const auto lag = view->states[info->index].effective_lag_ms()) {
            w.sample("shardgate_backend_lag_seconds", backend_labels(*info), double(*lag) / 1e3);
        }
    }
    w.family("shardgate_backend_probe_latency_seconds", "gauge",
             "Round trip of the last successful health query.");
    for (const auto* info : live) {
        if (const auto latency = view->states[info->index].probe_latency_us) {
            w.sample("shardgate_backend_probe_latency_seconds", backend_labels(*info),
                     double(*latency) / 1e6);
        }
    }
    w.family("shardgate_backend_connections", "gauge",
             "Pooled backend connections of this proxy, by state (in_use, idle).");
    for (const auto* info : live) {
        const auto& u = used(*info);
        w.sample("shardgate_backend_connections", backend_labels(*info) + ",state=\"in_use\"",
                 u.connections_in_use);
        w.sample("shardgate_backend_connections", backend_labels(*info) + ",state=\"idle\"",
                 u.connections_idle);
    }
    const std::pair<const char*, std::uint64_t BackendUsage::*> per_backend[] = {
        {"reads", &BackendUsage::reads},
        {"writes", &BackendUsage::writes},
        {"failures", &BackendUsage::failures}};
    for (const auto& [what, field] : per_backend) {
        const auto name = std::string("shardgate_backend_") + what + "_total";
        w.family(name, "counter",
                 std::string("Statements routed to the backend: ") + what +
                     (std::string_view(what) == "failures"
                          ? " (connect failed, lost before answering)."
                          : "."));
        for (const auto* info : live) {
            w.sample(name, backend_labels(*info), used(*info).*field);
        }
    }
    w.family("shardgate_client_sessions", "gauge",
             "Client sessions of each data plane by state (summed over worker threads).");
    for (const auto& [plane, states] : usage.sessions) {
        for (const auto& [state, count] : states) {
            w.sample("shardgate_client_sessions",
                     "protocol=\"" + label_value(plane) + "\",state=\"" + label_value(state) + "\"",
                     count);
        }
    }
    w.family("shardgate_worker_clients", "gauge", "Client sessions each worker thread runs.");
    for (const auto& worker : usage.workers) {
        w.sample("shardgate_worker_clients", worker_labels(worker), worker.clients);
    }
    w.family("shardgate_worker_queue_wait_seconds", "gauge",
             "How long this scrape's read of each worker waited in its event queue behind the "
             "work already there (the worker's queue wait now).");
    for (const auto& worker : usage.workers) {
        w.sample("shardgate_worker_queue_wait_seconds", worker_labels(worker),
                 static_cast<double>(worker.queue_wait_us) / 1e6);
    }
    const auto histogram = [&w](const std::string& name, const std::string& labels,
                                const LatencyHistogram& h) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            cumulative += h.counts[i];
            std::string le = i < LatencyHistogram::bounds_us.size()
                                 ? fmt::format("{}", LatencyHistogram::bounds_us[i] / 1e6)
                                 : std::string("+Inf");
            w.sample(name + "_bucket", labels + ",le=\"" + le + "\"", cumulative);
        }
        w.sample(name + "_sum", labels, double(h.sum_us) / 1e6);
        w.sample(name + "_count", labels, h.count);
    };
    w.family("shardgate_statement_latency_seconds", "histogram",
             "Client statements from planned to answered, by protocol and plan kind.");
    for (const auto& [plane, kinds] : usage.statement_latency) {
        for (const auto& [kind, h] : kinds) {
            histogram("shardgate_statement_latency_seconds",
                      "protocol=\"" + label_value(plane) + "\",plan_kind=\"" + label_value(kind) +
                          "\"",
                      h);
        }
    }
    w.family("shardgate_pool_wait_seconds", "histogram",
             "Waits for a pooled backend connection (0 when one was free), by protocol.");
    for (const auto& [plane, h] : usage.pool_wait) {
        histogram("shardgate_pool_wait_seconds", "protocol=\"" + label_value(plane) + "\"", h);
    }
    for (const auto& [counter, value] : usage.counters) {
        const auto m = counter_metric(counter, value);
        w.family(m.name, m.type, "Data-plane counter " + counter + " (docs/admin.md).");
        w.sample(m.name, "", m.value);
    }
    return w.text();
}

} // namespace shardgate::proxy
