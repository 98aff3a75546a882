// Matching backend responses to the messages that caused them.
#include "response_filter.hpp"

#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/constants.hpp"

#include <cctype>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

void append_bytes(ppg::ByteBuffer& out, ppg::ByteView bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

bool completes(ResponseFilter::Expect kind, char type) {
    using E = ResponseFilter::Expect;
    switch (kind) {
    case E::parse:
        return type == ppg::PqMsg_ParseComplete;
    case E::bind:
        return type == ppg::PqMsg_BindComplete;
    case E::close:
        return type == ppg::PqMsg_CloseComplete;
    case E::describe_statement:
    case E::describe_portal:
        return type == ppg::PqMsg_RowDescription || type == ppg::PqMsg_NoData;
    case E::execute:
        return type == ppg::PqMsg_CommandComplete || type == ppg::PqMsg_EmptyQueryResponse ||
               type == ppg::PqMsg_PortalSuspended;
    case E::sync:
    case E::query:
        return type == ppg::PqMsg_ReadyForQuery;
    default:
        return false;
    }
}

/// The row count at the end of a CommandComplete tag ("SELECT 5", "INSERT 0 3"), 0 if none.
/// Whether a CommandComplete's tag is COMMIT (a COMMIT of a failed transaction says ROLLBACK).
bool is_commit_tag(ppg::ByteView body) {
    constexpr std::string_view commit = "COMMIT";
    std::size_t end = body.size();
    while (end > 0 && body[end - 1] == std::byte{0}) {
        --end;
    }
    return end == commit.size() &&
           std::equal(commit.begin(), commit.end(), body.begin(), [](char c, std::byte b) {
               return static_cast<unsigned char>(c) == std::to_integer<unsigned char>(b);
           });
}

std::uint64_t tag_rows(ppg::ByteView body) {
    std::size_t end = body.size();
    while (end > 0 && body[end - 1] == std::byte{0}) {
        --end;
    }
    std::size_t start = end;
    while (start > 0 && std::isdigit(static_cast<unsigned char>(body[start - 1]))) {
        --start;
    }
    std::uint64_t rows = 0;
    for (std::size_t i = start; i < end && i < start + 19; ++i) {
        rows = rows * 10 + static_cast<std::uint64_t>(static_cast<unsigned char>(body[i]) - '0');
    }
    return rows;
}

} // namespace

void ResponseFilter::expect(Expect kind, std::string name) {
    ops_.push_back(Op{kind, std::move(name), {}});
}

void ResponseFilter::append(ResponseFilter&& other) {
    for (auto i = other.head_; i < other.ops_.size(); ++i) {
        ops_.push_back(std::move(other.ops_[i]));
    }
    other.ops_.clear();
    other.head_ = 0;
}

void ResponseFilter::synthetic(ppg::ByteView bytes) {
    ops_.push_back(Op{Expect::synthetic, {}, ppg::ByteBuffer(bytes.begin(), bytes.end())});
}

void ResponseFilter::emit_synthetics(ppg::ByteBuffer& out) {
    while (!no_ops() && front_op().kind == Expect::synthetic) {
        append_bytes(out, front_op().bytes);
        pop_op();
    }
}

void ResponseFilter::skip_to_sync() {
    while (!no_ops() && front_op().kind != Expect::sync) {
        pop_op();
    }
}

void ResponseFilter::on_frame(const ppg::Frame& frame, ppg::ByteBuffer& out) {
    handle(frame, out);
    // Answers shardgate gives itself right after this one go out now: after a Flush no
    // further backend frame may come to carry them.
    if (!no_ops() && front_op().kind == Expect::synthetic) {
        emit_synthetics(out);
    }
}

void ResponseFilter::handle(const ppg::Frame& frame, ppg::ByteBuffer& out) {
    const char type = frame.type;
    if (type == ppg::PqMsg_ReadyForQuery || no_ops() ||
        (front_op().kind != Expect::injected_query &&
         front_op().kind != Expect::injected_prepare)) {
        emit_synthetics(out);
    }
    if (no_ops()) {
        append_bytes(out, frame.bytes);
        return;
    }
    auto& op = front_op();
    const bool asynchronous = type == ppg::PqMsg_NoticeResponse ||
                              type == ppg::PqMsg_ParameterStatus ||
                              type == ppg::PqMsg_NotificationResponse;
    if (op.kind == Expect::injected_prepare) {
        if (type == ppg::PqMsg_ErrorResponse) {
            append_bytes(out, frame.bytes);
            failed_parses_.push_back(op.name);
            prepare_failed_ = true; // the EXECUTE after it fails too: the client sees this one
        } else if (type == ppg::PqMsg_ReadyForQuery) {
            pop_op();
        }
        return;
    }
    if (op.kind == Expect::injected_query) {
        if (type == ppg::PqMsg_ErrorResponse) {
            auto error = ppg::decode_error_response(frame);
            injected_errors_.push_back(
                error ? std::string(
                            error.value().field(ppg::PG_DIAG_MESSAGE_PRIMARY).value_or("error"))
                      : "malformed error");
        } else if (type == ppg::PqMsg_ReadyForQuery) {
            pop_op();
        }
        return;
    }
    if (asynchronous) {
        append_bytes(out, frame.bytes);
        return;
    }
    if (op.kind == Expect::injected_parse && type == ppg::PqMsg_ParseComplete) {
        pop_op();
        return;
    }
    if (prepare_failed_ && type == ppg::PqMsg_ErrorResponse && op.kind == Expect::query) {
        // "prepared statement sg_N does not exist": our name, after the PREPARE's own error
        prepare_failed_ = false;
        saw_error_ = true;
        return;
    }
    append_bytes(out, frame.bytes);
    saw_error_ = saw_error_ || type == ppg::PqMsg_ErrorResponse;
    if (type == ppg::PqMsg_CommandComplete) {
        rows_ += tag_rows(frame.body);
        committed_ = committed_ || is_commit_tag(frame.body);
    }
    if (type == ppg::PqMsg_CopyInResponse) {
        copy_in_ = true;
    }
    if (type == ppg::PqMsg_ReadyForQuery && frame.body.size() == 1) {
        status_ = static_cast<char>(frame.body[0]);
    }
    if (type == ppg::PqMsg_ErrorResponse && op.kind != Expect::query) {
        if (op.kind == Expect::parse || op.kind == Expect::injected_parse) {
            failed_parses_.push_back(op.name);
        }
        skip_to_sync();
        return;
    }
    if (type == ppg::PqMsg_ReadyForQuery && op.kind != Expect::query) {
        skip_to_sync(); // the server skipped messages after an error it reported earlier
        if (!no_ops()) {
            pop_op();
        }
        return;
    }
    if (completes(op.kind, type)) {
        pop_op();
    }
}

} // namespace shardgate::proxy::pg
