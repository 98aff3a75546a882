// Session state change (session tracking) entries of OK packets.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html
// https://mariadb.com/kb/en/ok_packet/#session-change-type
#include "shardgate/protocol/mysql/session_track.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

namespace shardgate::protocol::mysql {
namespace {

bool decode_entry_data(std::string_view data, SessionStateChange& change) {
    ByteReader reader(as_bytes(data));
    std::string_view first;
    std::string_view second;
    switch (change.type) {
    case SESSION_TRACK_SYSTEM_VARIABLES:
        if (!reader.read_lenenc_string(first) || !reader.read_lenenc_string(second)) {
            return false;
        }
        change.name = first;
        change.value = second;
        return true;
    case SESSION_TRACK_SCHEMA:
        if (!reader.read_lenenc_string(first)) {
            return false;
        }
        change.name = first;
        return true;
    case SESSION_TRACK_GTIDS:
        if (!reader.read_u8(change.gtid_encoding) || !reader.read_lenenc_string(first)) {
            return false;
        }
        change.value = first;
        return true;
    case SESSION_TRACK_STATE_CHANGE:
        // Servers send the flag character itself as the entry data ("1"), unprefixed.
        change.value = data;
        return true;
    case SESSION_TRACK_TRANSACTION_CHARACTERISTICS:
    case SESSION_TRACK_TRANSACTION_STATE:
        if (!reader.read_lenenc_string(first)) {
            return false;
        }
        change.value = first;
        return true;
    default:
        return true; // unknown types are kept raw
    }
}

void encode_entry_data(const SessionStateChange& change, Buffer& out) {
    ByteWriter writer(out);
    switch (change.type) {
    case SESSION_TRACK_SYSTEM_VARIABLES:
        writer.write_lenenc_string(change.name);
        writer.write_lenenc_string(change.value);
        return;
    case SESSION_TRACK_SCHEMA:
        writer.write_lenenc_string(change.name);
        return;
    case SESSION_TRACK_GTIDS:
        writer.write_u8(change.gtid_encoding);
        writer.write_lenenc_string(change.value);
        return;
    case SESSION_TRACK_STATE_CHANGE:
        writer.write_string(change.value);
        return;
    case SESSION_TRACK_TRANSACTION_CHARACTERISTICS:
    case SESSION_TRACK_TRANSACTION_STATE:
        writer.write_lenenc_string(change.value);
        return;
    default:
        writer.write_string(change.raw);
    }
}

} // namespace

Decoded<std::vector<SessionStateChange>> decode_session_state_info(Bytes block) {
    using Result = Decoded<std::vector<SessionStateChange>>;
    std::vector<SessionStateChange> changes;
    ByteReader reader(block);
    while (!reader.empty()) {
        SessionStateChange change;
        std::string_view data;
        if (!reader.read_u8(change.type) || !reader.read_lenenc_string(data)) {
            return decode_error<Result::value_type>("truncated session state change entry");
        }
        change.raw = data;
        if (!decode_entry_data(data, change)) {
            return decode_error<Result::value_type>("malformed session state change of type " +
                                                    std::to_string(change.type));
        }
        changes.push_back(std::move(change));
    }
    return Result(std::move(changes), block.size());
}

void encode_session_state_info(const std::vector<SessionStateChange>& changes, Buffer& out) {
    ByteWriter writer(out);
    for (const auto& change : changes) {
        Buffer data;
        encode_entry_data(change, data);
        writer.write_u8(change.type);
        writer.write_lenenc_string(as_chars(data));
    }
}

} // namespace shardgate::protocol::mysql
