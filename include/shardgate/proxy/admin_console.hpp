// The admin console: the `shardgate` database that admin users reach through either frontend
// (PostgreSQL `dbname=shardgate`, MySQL `USE shardgate`). It answers SHOW commands with
// ordinary result sets and runs actions (RELOAD, PAUSE, RESUME, KILL); each data plane only
// renders the answer in its protocol (docs/admin.md, "Admin console").
#pragma once

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/map_source.hpp"
#include "shardgate/proxy/status_report.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace shardgate::proxy {

/// The logical database name of the console. A database of the map with this name hides it
/// (the map's database is served; the daemon logs a warning at start).
inline constexpr std::string_view admin_database = "shardgate";

/// What a console command answers: rows (columns empty: a command without rows), the
/// command tag (PostgreSQL CommandComplete, e.g. "SHOW 3", "RELOAD"), or an error.
struct ConsoleAnswer {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;
    std::string tag;
    /// Set: the command failed; SQLSTATE and message (the plane maps it to its own format).
    std::optional<std::pair<std::string, std::string>> error;
};

/// Runs console commands on its own thread: the data-plane collectors it calls post to every
/// worker and wait, so they must never run on a worker.
class AdminConsole {
public:
    AdminConsole(const Config& config, const BackendRegistry& registry);
    ~AdminConsole();
    AdminConsole(const AdminConsole&) = delete;
    AdminConsole& operator=(const AdminConsole&) = delete;

    // Wiring, from the daemon's thread (before or after start(); read under a lock):
    void add_collector(UsageCollector collector);
    /// `protocol`: the ClientRow::protocol of the sessions it closes.
    void add_killer(std::string protocol, ClientKiller killer);
    void set_maps(MapSource* maps);
    void set_reshard_view(std::function<nlohmann::json()> view);

    void start();
    void stop();

    /// From a data-plane coroutine: runs `command` on the console's thread and resumes on the
    /// caller's executor with the answer.
    boost::asio::awaitable<ConsoleAnswer> run(std::string command);
    /// Runs `command` on the calling thread (the console's thread; tests).
    ConsoleAnswer execute(std::string_view command);

private:
    UsageReport collect(bool clients);
    void collect_into(UsageReport& usage);
    /// SHOW TRANSACTIONS: the prepared participants of every shard.
    void in_doubt(std::vector<std::vector<std::optional<std::string>>>& rows);

    const Config& config_;
    const BackendRegistry& registry_;
    std::mutex mutex_; ///< guards the wiring below
    std::vector<UsageCollector> collectors_;
    std::vector<std::pair<std::string, ClientKiller>> killers_;
    MapSource* maps_ = nullptr;
    std::function<nlohmann::json()> reshard_;
    boost::asio::io_context io_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
    std::thread thread_;
    std::atomic<bool> stopped_{false};
};

/// The words of a console command: split at white space, a trailing ';' dropped, keywords
/// compared case-insensitively by the caller. Exposed for unit tests.
std::vector<std::string> console_words(std::string_view command);

} // namespace shardgate::proxy
