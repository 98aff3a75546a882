// Tests of ResponseFilter: backend responses matched to the messages that caused them.
#include "pg/response_filter.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frame.hpp"

#include <gtest/gtest.h>

namespace {

namespace ppg = shardgate::protocol::pg;
using shardgate::proxy::pg::ResponseFilter;
using Expect = ResponseFilter::Expect;

/// Feeds a stream of backend messages through the filter; returns the client's type bytes.
std::string feed(ResponseFilter& filter, const ppg::ByteBuffer& stream) {
    ppg::ByteBuffer out;
    ppg::ByteView rest(stream);
    while (!rest.empty()) {
        auto frame = ppg::next_frame(rest);
        EXPECT_TRUE(frame.ok());
        filter.on_frame(frame.value(), out);
        rest = rest.subspan(frame.consumed());
    }
    std::string types;
    ppg::ByteView view(out);
    while (!view.empty()) {
        auto frame = ppg::next_frame(view);
        types.push_back(frame.value().type);
        view = view.subspan(frame.consumed());
    }
    return types;
}

ppg::ByteBuffer bytes_of(auto... messages) {
    ppg::ByteBuffer out;
    (ppg::encode(out, messages), ...);
    return out;
}

TEST(ResponseFilter, DropsInjectedQueryAndParse) {
    ResponseFilter filter;
    filter.expect(Expect::injected_query);
    filter.expect(Expect::injected_parse, "sg_1");
    filter.expect(Expect::bind);
    filter.expect(Expect::execute);
    filter.expect(Expect::sync);
    const auto stream =
        bytes_of(ppg::CommandComplete{"SET"}, ppg::ParameterStatus{"application_name", "x"},
                 ppg::ReadyForQuery{ppg::TransactionStatus::idle}, ppg::ParseComplete{},
                 ppg::BindComplete{}, ppg::CommandComplete{"SELECT 1"},
                 ppg::ReadyForQuery{ppg::TransactionStatus::in_transaction});
    EXPECT_EQ(feed(filter, stream), "2CZ");
    EXPECT_TRUE(filter.done());
    EXPECT_EQ(filter.status(), 'T');
}

TEST(ResponseFilter, InsertsSyntheticAnswersInOrder) {
    ResponseFilter filter;
    ppg::ByteBuffer parse_complete;
    ppg::encode(parse_complete, ppg::ParseComplete{});
    filter.synthetic(parse_complete);
    filter.expect(Expect::bind);
    filter.expect(Expect::sync);
    EXPECT_EQ(feed(filter, bytes_of(ppg::BindComplete{}, ppg::ReadyForQuery{})), "12Z");
    EXPECT_TRUE(filter.done());
}

TEST(ResponseFilter, ErrorSkipsToSync) {
    ResponseFilter filter;
    filter.expect(Expect::parse, "sg_2");
    filter.expect(Expect::bind);
    filter.expect(Expect::execute);
    ppg::ByteBuffer close_complete;
    ppg::encode(close_complete, ppg::CloseComplete{});
    filter.synthetic(close_complete);
    filter.expect(Expect::sync);
    ppg::ByteBuffer stream;
    ppg::encode_error(stream, ppg::ErrorInfo{"ERROR", "42601", "syntax error"});
    ppg::encode(stream, ppg::ReadyForQuery{});
    EXPECT_EQ(feed(filter, stream), "EZ");
    EXPECT_TRUE(filter.done());
    ASSERT_EQ(filter.failed_parses().size(), 1u);
    EXPECT_EQ(filter.failed_parses()[0], "sg_2");
}

TEST(ResponseFilter, SimpleQueryForwardsEverythingUntilReady) {
    ResponseFilter filter;
    filter.expect(Expect::query);
    ppg::ByteBuffer stream;
    ppg::encode_error(stream, ppg::ErrorInfo{"ERROR", "23505", "duplicate"});
    ppg::encode(stream, ppg::CommandComplete{"SELECT 1"});
    ppg::encode(stream, ppg::ReadyForQuery{ppg::TransactionStatus::failed});
    EXPECT_EQ(feed(filter, stream), "ECZ");
    EXPECT_EQ(filter.status(), 'E');
}

TEST(ResponseFilter, InjectedErrorsAreReported) {
    ResponseFilter filter;
    filter.expect(Expect::injected_query);
    filter.expect(Expect::query);
    ppg::ByteBuffer stream;
    ppg::encode_error(stream, ppg::ErrorInfo{"ERROR", "22023", "bad setting"});
    ppg::encode(stream, ppg::ReadyForQuery{});
    ppg::encode(stream, ppg::CommandComplete{"SELECT 1"});
    ppg::encode(stream, ppg::ReadyForQuery{});
    EXPECT_EQ(feed(filter, stream), "CZ");
    ASSERT_EQ(filter.injected_errors().size(), 1u);
    EXPECT_EQ(filter.injected_errors()[0], "bad setting");
}

TEST(ResponseFilter, FlushBatchEndsWithoutReadyForQuery) {
    // Bind/Execute/Close(statement, answered locally)/Flush: done after the local
    // CloseComplete, with no backend frame after CommandComplete to carry it
    ResponseFilter filter;
    filter.expect(Expect::bind);
    filter.expect(Expect::execute);
    ppg::ByteBuffer close_complete;
    ppg::encode(close_complete, ppg::CloseComplete{});
    filter.synthetic(close_complete);
    EXPECT_EQ(feed(filter, bytes_of(ppg::BindComplete{}, ppg::CommandComplete{"SELECT 1"})), "2C3");
    EXPECT_TRUE(filter.done());
}

TEST(ResponseFilter, ReadyForQueryEndsMessagesTheServerSkipped) {
    // after an error answered a Flush, the server ignores Bind/Execute until Sync
    ResponseFilter filter;
    filter.expect(Expect::bind);
    filter.expect(Expect::execute);
    filter.expect(Expect::sync);
    EXPECT_EQ(feed(filter, bytes_of(ppg::ReadyForQuery{})), "Z");
    EXPECT_TRUE(filter.done());
}

} // namespace

namespace {

// SQL EXECUTE of a statement whose injected PREPARE failed: the client sees the PREPARE's
// error (e.g. 42P01 for a missing table), not the EXECUTE's "sg_1 does not exist".
TEST(ResponseFilter, FailedInjectedPrepareHidesTheExecutesError) {
    ResponseFilter filter;
    filter.expect(Expect::injected_prepare, "sg_1");
    filter.expect(Expect::query);
    ppg::ByteBuffer stream;
    ppg::encode_error(stream, {"ERROR", "42P01", "relation \"Customers\" does not exist"});
    ppg::encode(stream, ppg::ReadyForQuery{ppg::TransactionStatus::idle});
    ppg::encode_error(stream, {"ERROR", "26000", "prepared statement \"sg_1\" does not exist"});
    ppg::encode(stream, ppg::ReadyForQuery{ppg::TransactionStatus::idle});
    ppg::ByteBuffer out;
    ppg::ByteView rest(stream);
    while (!rest.empty()) {
        auto frame = ppg::next_frame(rest);
        ASSERT_TRUE(frame.ok());
        filter.on_frame(frame.value(), out);
        rest = rest.subspan(frame.consumed());
    }
    const std::string text(reinterpret_cast<const char*>(out.data()), out.size());
    EXPECT_NE(text.find("42P01"), std::string::npos);
    EXPECT_EQ(text.find("26000"), std::string::npos);
    EXPECT_TRUE(filter.saw_error());
    EXPECT_EQ(filter.failed_parses(), std::vector<std::string>{"sg_1"});
}

} // namespace
