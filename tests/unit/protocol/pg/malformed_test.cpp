// Malformed input never crashes and gives an error: every message truncated at every body
// length, wrong declared lengths, and deterministic byte mutations.
#include "message_builder.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/routing_helpers.hpp"

#include <gtest/gtest.h>
#include <random>
#include <string>

namespace shardgate::protocol::pg {
namespace {

struct Sample {
    std::string name;
    ByteBuffer bytes;
    bool frontend;
    bool free_form; ///< a body prefix can itself be valid (raw data to the end)
};

template <class Msg>
Sample sample(std::string name, const Msg& msg, bool frontend, bool free_form = false) {
    Sample s{std::move(name), {}, frontend, free_form};
    encode(s.bytes, msg);
    return s;
}

std::vector<Sample> samples() {
    static const std::string binary8("\0\0\0\0\0\0\0\x2a", 8);
    return {
        sample("Query", Query{"SELECT 1"}, true),
        sample("Parse", Parse{"s", "SELECT $1", {20}}, true),
        sample("Bind",
               Bind{"p",
                    "s",
                    {FormatCode::binary},
                    {as_bytes(binary8), std::nullopt},
                    {FormatCode::text}},
               true),
        sample("Describe", Describe{TargetKind::statement, "s"}, true),
        sample("Execute", Execute{"p", 0}, true),
        sample("Close", Close{TargetKind::portal, "p"}, true),
        sample("CopyFail", CopyFail{"no"}, true),
        sample("CopyData", CopyData{as_bytes("abc")}, true, true),
        sample("FunctionCall", FunctionCall{1, as_bytes("xy")}, true, true),
        sample("PasswordMessage", PasswordMessage{"pw"}, true, true),
        sample("AuthenticationOk", AuthenticationOk{}, false),
        sample("AuthenticationMD5Password", AuthenticationMD5Password{}, false),
        sample("AuthenticationSASL", AuthenticationSASL{{"SCRAM-SHA-256"}}, false),
        sample("AuthenticationSASLContinue", AuthenticationSASLContinue{as_bytes("r=1")}, false,
               true),
        sample("BackendKeyData", BackendKeyData{1, 2}, false),
        sample("ParameterStatus", ParameterStatus{"a", "b"}, false),
        sample("ReadyForQuery", ReadyForQuery{TransactionStatus::idle}, false),
        sample("ErrorResponse", make_error_response({"ERROR", "42P01", "no table", "d", "h"}),
               false),
        sample("NoticeResponse", make_notice_response({"NOTICE", "00000", "hi"}), false),
        sample("CommandComplete", CommandComplete{"SELECT 1"}, false),
        sample("RowDescription",
               RowDescription{{{"a", 1, 2, 23, 4, -1, FormatCode::text},
                               {"b", 1, 3, 25, -1, -1, FormatCode::binary}}},
               false),
        sample("DataRow", DataRow{{as_bytes("1"), std::nullopt, as_bytes("xyz")}}, false),
        sample("ParameterDescription", ParameterDescription{{23, 25}}, false),
        sample("NotificationResponse", NotificationResponse{1, "c", "p"}, false),
        sample("NegotiateProtocolVersion", NegotiateProtocolVersion{0, {"_pq_.x"}}, false),
        sample("CopyOutResponse", CopyOutResponse{{FormatCode::text, {FormatCode::text}}}, false),
    };
}

bool decodes(const Sample& s, const Frame& frame) {
    return s.frontend ? decode_frontend_message(frame).ok() : decode_backend_message(frame).ok();
}

// The body cut to `length` bytes, with a header that declares exactly that.
ByteBuffer truncated(const ByteBuffer& bytes, std::size_t length) {
    ByteBuffer out(bytes.begin(), bytes.begin() + 5 + length);
    auto n = static_cast<std::uint32_t>(length + 4);
    for (int i = 0; i < 4; ++i) {
        out[1 + i] = static_cast<std::byte>((n >> (24 - 8 * i)) & 0xff);
    }
    return out;
}

TEST(Malformed, SamplesDecode) {
    for (const auto& s : samples()) {
        EXPECT_TRUE(decodes(s, test::frame_of(s.bytes))) << s.name;
    }
}

TEST(Malformed, EveryTruncationIsAnError) {
    for (const auto& s : samples()) {
        std::size_t body = s.bytes.size() - 5;
        for (std::size_t length = 0; length < body; ++length) {
            auto cut = truncated(s.bytes, length);
            auto framed = next_frame(cut);
            ASSERT_TRUE(framed.ok()) << s.name;
            bool ok = decodes(s, framed.value());
            if (!s.free_form) {
                EXPECT_FALSE(ok) << s.name << " cut to " << length;
            }
        }
    }
}

TEST(Malformed, ExtraTrailingByteIsAnError) {
    for (const auto& s : samples()) {
        if (s.free_form) {
            continue;
        }
        auto longer = s.bytes;
        longer.push_back(std::byte{0});
        auto fixed = truncated(longer, longer.size() - 5);
        EXPECT_FALSE(decodes(s, test::frame_of(fixed))) << s.name;
    }
}

TEST(Malformed, DeclaredLengthLongerThanDataNeedsMore) {
    for (const auto& s : samples()) {
        ByteBuffer shorter(s.bytes.begin(), s.bytes.end() - 1);
        auto decoded = s.frontend ? decode_frontend_message(ByteView(shorter)).status()
                                  : decode_backend_message(ByteView(shorter)).status();
        EXPECT_EQ(decoded, DecodeStatus::need_more) << s.name;
    }
}

// Deterministic mutation fuzzing: flip, insert and drop bytes; decoders and helpers must
// return a result (ok or error) without crashing (ASan/UBSan build checks memory safety).
TEST(Malformed, MutationsNeverCrash) {
    std::mt19937 rng(12345);
    auto all = samples();
    std::size_t errors = 0;
    for (int round = 0; round < 20000; ++round) {
        const auto& s = all[rng() % all.size()];
        ByteBuffer bytes = s.bytes;
        int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits && !bytes.empty(); ++e) {
            auto at = rng() % bytes.size();
            switch (rng() % 3) {
            case 0:
                bytes[at] = static_cast<std::byte>(rng() & 0xff);
                break;
            case 1:
                bytes.insert(bytes.begin() + static_cast<long>(at),
                             static_cast<std::byte>(rng() & 0xff));
                break;
            default:
                bytes.erase(bytes.begin() + static_cast<long>(at));
            }
        }
        ByteView rest(bytes);
        while (!rest.empty()) {
            auto framed = next_frame(rest);
            if (!framed.ok()) {
                break;
            }
            auto frame = framed.value();
            errors += decode_frontend_message(frame).ok() ? 0 : 1;
            errors += decode_backend_message(frame).ok() ? 0 : 1;
            (void)decode_password_message(frame);
            (void)decode_sasl_initial_response(frame);
            (void)statement_text(frame);
            rest = rest.subspan(framed.consumed());
        }
        (void)decode_startup_packet(ByteView(bytes));
    }
    EXPECT_GT(errors, 0u);
}

TEST(Malformed, RandomBytesNeverCrash) {
    std::mt19937 rng(777);
    for (int round = 0; round < 5000; ++round) {
        ByteBuffer bytes(rng() % 64);
        for (auto& b : bytes) {
            b = static_cast<std::byte>(rng() & 0xff);
        }
        if (bytes.size() >= 5) {
            auto length = static_cast<std::uint32_t>(bytes.size() - 1);
            for (int i = 0; i < 4; ++i) {
                bytes[1 + i] = static_cast<std::byte>((length >> (24 - 8 * i)) & 0xff);
            }
        }
        (void)decode_frontend_message(ByteView(bytes));
        (void)decode_backend_message(ByteView(bytes));
        (void)decode_startup_packet(ByteView(bytes));
    }
}

} // namespace
} // namespace shardgate::protocol::pg
