// A stream's JSON form and its steps dispatched by engine (see reshard_stream.hpp).
#include "reshard_stream.hpp"

#include "reshard_mariadb.hpp"
#include "reshard_pg.hpp"

namespace shardctl::reshard {
namespace {

bool on_mariadb(const ShardServer& server) {
    return server.engine == shardgate::txn::TwoPhaseEngine::mysql;
}

} // namespace

nlohmann::json to_json(const Stream& stream) {
    auto tables = nlohmann::json::array();
    for (const auto& t : stream.tables) {
        tables.push_back({{"table", t.table},
                          {"key", t.key},
                          {"condition", t.condition},
                          {"whole_table", t.whole_table},
                          {"created_table", t.created_table},
                          {"identity_full", t.identity_full},
                          {"reference", t.reference}});
    }
    return {{"from", stream.from},
            {"to", stream.to},
            {"name", stream.name},
            {"back", stream.back},
            {"tables", tables}};
}

Stream stream_from_json(const nlohmann::json& doc) {
    Stream stream{doc.value("from", ""),
                  doc.value("to", ""),
                  {},
                  doc.value("name", ""),
                  doc.value("back", "")};
    for (const auto& t : doc.value("tables", nlohmann::json::array())) {
        stream.tables.push_back({t.value("table", ""), t.value("key", ""), t.value("condition", ""),
                                 t.value("whole_table", false), t.value("created_table", false),
                                 t.value("identity_full", false), t.value("reference", false)});
    }
    return stream;
}

void start_stream(Stream& stream, const ShardServer& source, const ShardServer& target) {
    on_mariadb(source) ? mariadb::start_stream(stream, source, target)
                       : pg::start_stream(stream, source, target);
}

Progress progress(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    return on_mariadb(source) ? mariadb::progress(stream, source, target)
                              : pg::progress(stream, source, target);
}

bool caught_up(const Stream& stream, const ShardServer& source, const ShardServer& target,
               unsigned timeout_ms) {
    return on_mariadb(source) ? mariadb::caught_up(stream, source, target, timeout_ms)
                              : pg::caught_up(stream, source, target, timeout_ms);
}

void set_enabled(const Stream& stream, const ShardServer& target, bool enabled) {
    on_mariadb(target) ? mariadb::set_enabled(stream, target, enabled)
                       : pg::set_enabled(stream, target, enabled);
}

std::vector<Difference> verify(const Stream& stream, const ShardServer& source,
                               const ShardServer& target) {
    return on_mariadb(source) ? mariadb::verify(stream, source, target)
                              : pg::verify(stream, source, target);
}

void sync_sequences(const Stream& stream, const ShardServer& from, const ShardServer& to) {
    on_mariadb(from) ? mariadb::sync_sequences(stream, from, to)
                     : pg::sync_sequences(stream, from, to);
}

void reverse(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    on_mariadb(source) ? mariadb::reverse(stream, source, target)
                       : pg::reverse(stream, source, target);
}

void drop_reverse(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    on_mariadb(source) ? mariadb::drop_reverse(stream, source, target)
                       : pg::drop_reverse(stream, source, target);
}

void complete(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    on_mariadb(source) ? mariadb::complete(stream, source, target)
                       : pg::complete(stream, source, target);
}

void abort(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    on_mariadb(source) ? mariadb::abort(stream, source, target) : pg::abort(stream, source, target);
}

} // namespace shardctl::reshard
