// Resharding workflows told to a proxy, and the tables they split (see reshard_board.hpp).
#include "shardgate/proxy/reshard_board.hpp"

#include "shardgate/shardmaps/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <unistd.h>

namespace shardgate::proxy {

namespace {

std::string text_of(const nlohmann::json& doc, const char* field) {
    const auto found = doc.find(field);
    return found != doc.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool flag(const nlohmann::json& doc, const char* field) {
    const auto found = doc.find(field);
    return found != doc.end() && found->is_boolean() && found->get<bool>();
}

std::int64_t started_ms(const nlohmann::json& workflow) {
    const auto found = workflow.find("started_ms");
    return found != workflow.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0;
}

bool finished(const nlohmann::json& workflow) {
    static const std::set<std::string> terminal = {"completed", "aborted", "rolled_back"};
    return terminal.contains(text_of(workflow, "phase"));
}

} // namespace

void note_split_tables(const shardmaps::ShardMap& map, const nlohmann::json& workflow,
                       BackendRegistry::SplitTables& split, WorkflowMaps& maps) {
    static const std::set<std::string> moving = {"copying", "catching_up", "ready", "cut_over",
                                                 "failed"};
    const auto database = text_of(workflow, "database");
    const auto* db = map.find_database(database);
    if (db == nullptr || db->engine() != shardmaps::Engine::mysql ||
        !moving.contains(text_of(workflow, "phase"))) {
        return; // (PostgreSQL hides the copies with row-level security)
    }
    BackendRegistry::SplitTable entry;
    entry.workflow = text_of(workflow, "name");
    entry.from_map = maps.parse(text_of(workflow, "from_map"), entry.why);
    entry.to_map = maps.parse(text_of(workflow, "to_map"), entry.why);
    const auto streams = workflow.find("streams");
    for (const auto& stream :
         streams != workflow.end() && streams->is_array() ? *streams : nlohmann::json::array()) {
        const auto tables = stream.is_object() ? stream.find("tables") : stream.end();
        if (!stream.is_object() || tables == stream.end() || !tables->is_array()) {
            continue;
        }
        for (const auto& move : *tables) {
            if (move.is_object() && !flag(move, "whole_table") && !flag(move, "reference")) {
                auto& entries = split[database][text_of(move, "table")];
                if (std::none_of(entries.begin(), entries.end(), [&](const auto& known) {
                        return known.workflow == entry.workflow;
                    })) {
                    entries.push_back(entry);
                }
            }
        }
    }
}

shardmaps::ShardMapPtr WorkflowMaps::parse(const std::string& text, std::string& why) {
    if (text.empty()) {
        if (why.empty()) {
            why = "are not known to this proxy (a state kept before it carried them)";
        }
        return nullptr;
    }
    if (const auto used = used_.find(text); used != used_.end()) {
        return used->second; // (another workflow's map, this round)
    }
    if (auto known = maps_.extract(text)) { // moved over, the text not copied
        auto map = known.mapped();
        used_.insert(std::move(known));
        return map;
    }
    try {
        auto map = shardmaps::parse_shard_map(text, "the workflow's map");
        used_[text] = map;
        return map;
    } catch (const std::exception& e) {
        if (why.empty()) {
            why = std::string("cannot be read: ") + e.what();
        }
        return nullptr;
    }
}

void WorkflowMaps::forget_unused() {
    maps_ = std::move(used_);
    used_.clear();
}

ReshardBoard::ReshardBoard(const BackendRegistry& registry, std::string state_file)
    : registry_(registry), state_file_(std::move(state_file)) {
    std::error_code missing;
    if (state_file_.empty() || !std::filesystem::exists(state_file_, missing)) {
        if (missing) {
            throw ReshardStateError(
                fmt::format("reshard_state_file {}: {}", state_file_, missing.message()));
        }
        return;
    }
    std::ifstream in(state_file_);
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    const auto list = doc.is_object() ? doc.find("workflows") : doc.end();
    if (!in || doc.is_discarded() || list == doc.end() || !list->is_array()) {
        throw ReshardStateError(fmt::format(
            "reshard_state_file {}: not a {{\"workflows\": [...]}} document written by shardgate",
            state_file_));
    }
    for (auto& workflow : *list) {
        const auto name = text_of(workflow, "name");
        if (name.empty() || text_of(workflow, "phase").empty()) {
            throw ReshardStateError(fmt::format(
                "reshard_state_file {}: a workflow without a name or a phase", state_file_));
        }
        workflows_[name] = std::move(workflow);
    }
    publish_split_tables();
}

void ReshardBoard::publish_split_tables() {
    BackendRegistry::SplitTables split;
    const auto map = registry_.map_of(registry_.map_epoch());
    WorkflowMaps maps;
    for (const auto& [_, workflow] : workflows_) {
        note_split_tables(*map, workflow, split, maps);
    }
    registry_.set_split_tables(std::move(split));
}

std::string ReshardBoard::save() const {
    if (state_file_.empty()) {
        return "";
    }
    auto list = nlohmann::json::array();
    for (const auto& [_, workflow] : workflows_) {
        list.push_back(workflow);
    }
    const auto text = nlohmann::json{{"workflows", std::move(list)}}.dump() + "\n";
    // Written whole to a file of this process, flushed to disk, then renamed over the old one
    // (and the directory flushed): after a crash or a power loss the file is the old or the
    // new set, never a torn one.
    const auto temporary = fmt::format("{}.{}.tmp", state_file_, ::getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fmt::format("cannot create {}: {}", temporary, std::strerror(errno));
    }
    std::size_t written = 0;
    while (written < text.size()) {
        const auto n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    const bool ok = written == text.size() && ::fsync(fd) == 0;
    const int saved_errno = errno;
    if (::close(fd) != 0 || !ok) {
        ::unlink(temporary.c_str());
        return fmt::format("cannot write {}: {}", temporary,
                           std::strerror(ok ? errno : saved_errno));
    }
    if (::rename(temporary.c_str(), state_file_.c_str()) != 0) {
        const auto why = fmt::format("cannot replace {}: {}", state_file_, std::strerror(errno));
        ::unlink(temporary.c_str());
        return why;
    }
    const auto folder = std::filesystem::path(state_file_).parent_path();
    if (const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_CLOEXEC);
        dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return "";
}

std::string ReshardBoard::post(nlohmann::json doc) {
    if (!doc.is_object()) {
        return "the body must be a workflow's JSON object";
    }
    const auto name = text_of(doc, "name");
    if (name.empty() || name.size() > 64) {
        return "the workflow needs a \"name\" of 1 to 64 characters";
    }
    if (text_of(doc, "phase").empty()) {
        return "the workflow needs a \"phase\"";
    }
    if (doc.contains("started_ms") && !doc["started_ms"].is_number_integer()) {
        return "\"started_ms\" must be an integer";
    }
    const std::lock_guard lock(mutex_);
    if (const auto known = workflows_.find(name); known != workflows_.end()) {
        const auto held = started_ms(known->second);
        if (started_ms(doc) < held ||
            (started_ms(doc) == held && finished(known->second) && !finished(doc))) {
            // a late report of an earlier run, or of this run after its end (a `status`
            // racing `abort`, or `abort` and a new `start` under the same name)
            return "";
        }
    }
    std::string evicted;
    if (!workflows_.contains(name) && workflows_.size() >= max_workflows) {
        const auto oldest = std::min_element(workflows_.begin(), workflows_.end(),
                                             [](const auto& a, const auto& b) {
                                                 // finished ones first, then the earliest started
                                                 const auto key = [](const nlohmann::json& w) {
                                                     return std::pair{!finished(w), started_ms(w)};
                                                 };
                                                 return key(a.second) < key(b.second);
                                             });
        if (!finished(oldest->second)) {
            return "this proxy already follows " + std::to_string(max_workflows) +
                   " unfinished workflows";
        }
        evicted = oldest->first;
    }
    // Kept on disk before it takes effect: what this proxy refuses survives its restart.
    auto before = workflows_;
    if (!evicted.empty()) {
        workflows_.erase(evicted);
    }
    workflows_[name] = std::move(doc);
    if (auto why = save(); !why.empty()) {
        workflows_ = std::move(before);
        return "reshard_state_file: " + why;
    }
    publish_split_tables();
    return "";
}

nlohmann::json ReshardBoard::view() const {
    auto list = nlohmann::json::array();
    const std::lock_guard lock(mutex_);
    for (const auto& [_, workflow] : workflows_) {
        auto shown = workflow;
        shown.erase("from_map"); // (the maps are in GET /map and in the files)
        shown.erase("to_map");
        list.push_back(std::move(shown));
    }
    return {{"workflows", std::move(list)}};
}

} // namespace shardgate::proxy
