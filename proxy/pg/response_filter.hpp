// Sans-io bookkeeping of what a backend will answer to the messages shardgate sent, so the
// client sees exactly the responses to ITS messages: answers to injected messages (settings
// replay, deferred BEGIN, lazy Parse) are dropped, and answers shardgate gives itself
// (ParseComplete for a statement already prepared on that backend, CloseComplete for a
// client-side Close) are inserted at the right place. Everything else is forwarded as is.
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/frame.hpp"

#include <string>
#include <vector>

namespace shardgate::proxy::pg {

class ResponseFilter {
public:
    /// What one message sent to the backend (or answered locally) produces.
    enum class Expect {
        injected_query,     ///< a Query of our own: drop everything up to its ReadyForQuery
        injected_parse,     ///< a Parse of our own: drop its ParseComplete
        injected_prepare,   ///< a PREPARE Query of our own: forward only its error
        query,              ///< the client's Query: forward up to ReadyForQuery
        parse,              ///< ParseComplete
        bind,               ///< BindComplete
        describe_statement, ///< ParameterDescription, then RowDescription or NoData
        describe_portal,    ///< RowDescription or NoData
        execute,            ///< rows, then CommandComplete / EmptyQueryResponse / PortalSuspended
        close,              ///< CloseComplete
        sync,               ///< ReadyForQuery
        synthetic,          ///< bytes shardgate answers itself, in sequence
    };

    /// Appends an expectation; `name` is the server statement name of a Parse.
    void expect(Expect kind, std::string name = {});
    /// Appends all of `other`'s expectations after this one's.
    void append(ResponseFilter&& other);
    /// Appends a locally produced answer.
    void synthetic(protocol::pg::ByteView bytes);

    /// Handles one backend frame, appending what the client must see to `out`.
    void on_frame(const protocol::pg::Frame& frame, protocol::pg::ByteBuffer& out);
    /// A DataRow (or COPY TO STDOUT CopyData) arriving now would go to the client unchanged, with
    /// nothing of shardgate's before it (so its bytes may be relayed as they come, without the
    /// whole frame).
    bool forwards_data_row() const {
        return no_ops() || ops_[head_].kind == Expect::query || ops_[head_].kind == Expect::execute;
    }
    /// Every expectation met (the final ReadyForQuery was seen).
    bool done() const { return no_ops(); }
    /// The status byte of the last forwarded ReadyForQuery ('I', 'T', 'E').
    char status() const { return status_; }
    /// A CopyInResponse was forwarded: the client now sends CopyData.
    bool copy_in() const { return copy_in_; }
    void clear_copy_in() { copy_in_ = false; }
    /// An ErrorResponse was forwarded to the client.
    bool saw_error() const { return saw_error_; }
    /// A CommandComplete "COMMIT" was forwarded (a transaction block committed).
    bool committed() const { return committed_; }
    /// The row counts of the CommandCompletes forwarded to the client, summed.
    std::uint64_t rows() const { return rows_; }
    /// Messages of errors raised by injected queries (settings replay, BEGIN).
    const std::vector<std::string>& injected_errors() const { return injected_errors_; }
    /// Server statement names whose Parse failed (not prepared after all).
    const std::vector<std::string>& failed_parses() const { return failed_parses_; }

private:
    struct Op {
        Expect kind;
        std::string name;
        protocol::pg::ByteBuffer bytes;
    };
    bool no_ops() const { return head_ == ops_.size(); }
    Op& front_op() { return ops_[head_]; }
    void pop_op() {
        if (++head_ == ops_.size()) {
            ops_.clear();
            head_ = 0;
        }
    }
    void handle(const protocol::pg::Frame& frame, protocol::pg::ByteBuffer& out);
    void emit_synthetics(protocol::pg::ByteBuffer& out);
    void skip_to_sync();

    /// Pending expectations, oldest at head_ (a vector: no deque block per statement).
    std::vector<Op> ops_;
    std::size_t head_ = 0;
    char status_ = 'I';
    bool copy_in_ = false;
    bool saw_error_ = false;
    bool committed_ = false;
    std::uint64_t rows_ = 0;
    bool prepare_failed_ = false; ///< an injected PREPARE failed; drop the next query error
    std::vector<std::string> injected_errors_;
    std::vector<std::string> failed_parses_;
};

} // namespace shardgate::proxy::pg
