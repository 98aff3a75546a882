// SCRAM-SHA-256: the RFC 7677 test vector on both halves, a client<->server round trip,
// failures, and verifiers compared with one PostgreSQL 15 produced.
#include "shardgate/protocol/pg/scram.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

// RFC 7677 section 3.
constexpr std::string_view rfc_client_first = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view rfc_server_first =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view rfc_client_final =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view rfc_server_final = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramVerifier rfc_verifier() {
    auto salted = parse_scram_verifier("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
                                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:"
                                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    EXPECT_TRUE(salted);
    auto verifier = make_scram_verifier("pencil", salted.value().salt, 4096);
    EXPECT_TRUE(verifier);
    return verifier.value();
}

// A deterministic random source: 0, 1, 2, ... then the counter continues across calls.
RandomSource counter_source(unsigned start) {
    return [next = start](std::span<std::byte> out) mutable {
        for (auto& b : out) {
            b = static_cast<std::byte>(next++);
        }
        return true;
    };
}

TEST(Scram, ClientMatchesRfc7677) {
    ScramClient client("user", "pencil");
    EXPECT_EQ(client.client_first_with_nonce("rOprNGfwEbeRWgbNEkqO").value(), rfc_client_first);
    EXPECT_EQ(client.state(), ScramClient::State::client_first_sent);
    EXPECT_EQ(client.client_final(rfc_server_first).value(), rfc_client_final);
    EXPECT_TRUE(client.verify_server_final(rfc_server_final));
    EXPECT_EQ(client.state(), ScramClient::State::done);
    EXPECT_STREQ(to_string(client.state()), "done");
}

TEST(Scram, ServerMatchesRfc7677) {
    ScramServer server(rfc_verifier());
    auto first = server.server_first_with_nonce(rfc_client_first, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first.value(), rfc_server_first);
    EXPECT_EQ(server.client_user(), "user");
    auto final_message = server.server_final(rfc_client_final);
    ASSERT_TRUE(final_message) << final_message.error().message;
    EXPECT_EQ(final_message.value(), rfc_server_final);
    EXPECT_EQ(server.state(), ScramServer::State::done);
}

TEST(Scram, ClientServerRoundTrip) {
    auto server = ScramServer::from_password("s3cret pass", counter_source(100));
    ASSERT_TRUE(server);
    ScramClient client("", "s3cret pass");
    auto c1 = client.client_first(counter_source(0));
    ASSERT_TRUE(c1);
    EXPECT_TRUE(c1.value().starts_with("n,,n=,r="));
    auto s1 = server.value().server_first(c1.value(), counter_source(200));
    ASSERT_TRUE(s1);
    auto c2 = client.client_final(s1.value());
    ASSERT_TRUE(c2);
    auto s2 = server.value().server_final(c2.value());
    ASSERT_TRUE(s2) << s2.error().message;
    EXPECT_TRUE(client.verify_server_final(s2.value()));
}

TEST(Scram, WrongPasswordFailsOnTheServer) {
    ScramServer server(rfc_verifier());
    ScramClient client("user", "pencil!");
    auto s1 =
        server.server_first(client.client_first(counter_source(0)).value(), counter_source(50));
    auto c2 = client.client_final(s1.value());
    auto s2 = server.server_final(c2.value());
    ASSERT_FALSE(s2);
    EXPECT_EQ(s2.error().code, ErrorCode::auth_failed);
    EXPECT_EQ(server.state(), ScramServer::State::failed);
}

// A server asking for more iterations than the client computes is refused at once (a hostile
// backend sending i=2147483647 would otherwise hold the thread for hours).
TEST(Scram, ClientRefusesAnIterationCountOverItsLimit) {
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("abc");
        const auto refused = client.client_final("r=abcd,s=AAAA,i=2147483647");
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, ErrorCode::unsupported);
        EXPECT_NE(refused.error().message.find("2147483647 iterations, more than the 1000000"),
                  std::string::npos)
            << refused.error().message;
        EXPECT_EQ(client.state(), ScramClient::State::failed);
    }
    // at the limit it derives the keys (the RFC vector under a limit of exactly 4096)
    ScramClient client("user", "pencil", 4096);
    (void)client.client_first_with_nonce("rOprNGfwEbeRWgbNEkqO");
    EXPECT_EQ(client.client_final(rfc_server_first).value(), rfc_client_final);
    ScramClient lower("user", "pencil", 4095);
    (void)lower.client_first_with_nonce("rOprNGfwEbeRWgbNEkqO");
    EXPECT_EQ(lower.client_final(rfc_server_first).error().code, ErrorCode::unsupported);
}

TEST(Scram, ClientRejectsBadServerMessages) {
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("abc");
        EXPECT_EQ(client.client_final("r=xyz123,s=AAAA,i=1").error().code, ErrorCode::auth_failed);
    }
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("abc");
        EXPECT_EQ(client.client_final("r=abc,s=AAAA,i=1").error().code, ErrorCode::auth_failed);
    }
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("abc");
        EXPECT_FALSE(client.client_final("r=abcd,s=!!!!,i=1"));
        EXPECT_EQ(client.state(), ScramClient::State::failed);
    }
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("abc");
        EXPECT_FALSE(client.client_final("r=abcd,s=AAAA,i=0"));
    }
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("abc");
        EXPECT_EQ(client.client_final("m=ext,r=abcd,s=AAAA,i=1").error().code,
                  ErrorCode::unsupported);
    }
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("rOprNGfwEbeRWgbNEkqO");
        (void)client.client_final(rfc_server_first);
        EXPECT_EQ(client.verify_server_final("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                      .error()
                      .code,
                  ErrorCode::auth_failed);
    }
    {
        ScramClient client("user", "pencil");
        (void)client.client_first_with_nonce("rOprNGfwEbeRWgbNEkqO");
        (void)client.client_final(rfc_server_first);
        auto e = client.verify_server_final("e=invalid-proof");
        EXPECT_EQ(e.error().code, ErrorCode::auth_failed);
        EXPECT_NE(e.error().message.find("invalid-proof"), std::string::npos);
    }
    {
        ScramClient client("user", "pencil");
        EXPECT_FALSE(client.client_final(rfc_server_first)); // out of order
    }
}

TEST(Scram, ServerRejectsBadClientMessages) {
    auto first = [](std::string_view client_first) {
        ScramServer server(rfc_verifier());
        return server.server_first_with_nonce(client_first, "xyz");
    };
    EXPECT_EQ(first("p=tls-server-end-point,,n=,r=abc").error().code, ErrorCode::unsupported);
    EXPECT_EQ(first("n,a=admin,n=,r=abc").error().code, ErrorCode::unsupported);
    EXPECT_EQ(first("x,,n=,r=abc").error().code, ErrorCode::bad_value);
    EXPECT_EQ(first("n,,r=abc").error().code, ErrorCode::bad_value);
    EXPECT_EQ(first("n,,n=,r=a,b").error().code, ErrorCode::bad_value);
    EXPECT_EQ(first("n,,n=bad=name,r=abc").error().code, ErrorCode::bad_value);
    EXPECT_TRUE(first("y,,n=,r=abc"));

    auto final_after = [](std::string_view client_final) {
        ScramServer server(rfc_verifier());
        (void)server.server_first_with_nonce(rfc_client_first, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        return server.server_final(client_final);
    };
    std::string wrong_nonce(rfc_client_final);
    wrong_nonce.replace(wrong_nonce.find("k0"), 2, "k1");
    std::string wrong_binding(rfc_client_final);
    wrong_binding.replace(0, 6, "c=eSws"); // base64("y,,")
    EXPECT_EQ(final_after(wrong_nonce).error().code, ErrorCode::auth_failed);
    EXPECT_EQ(final_after(wrong_binding).error().code, ErrorCode::auth_failed);
    EXPECT_EQ(final_after("c=biws,r=x").error().code, ErrorCode::bad_value);
    EXPECT_EQ(final_after("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA")
                  .error()
                  .code,
              ErrorCode::bad_value);
}

TEST(Scram, RandomFailureIsReported) {
    RandomSource broken = [](std::span<std::byte>) { return false; };
    ScramClient client("", "pw");
    EXPECT_EQ(client.client_first(broken).error().code, ErrorCode::random_failed);
    EXPECT_EQ(make_scram_verifier("pw", broken).error().code, ErrorCode::random_failed);
}

// Produced by PostgreSQL 15 for password "app" (SELECT rolpassword FROM pg_authid).
constexpr std::string_view postgres_verifier =
    "SCRAM-SHA-256$4096:CldCA3Zh+T2R56J477OKDA==$4I+uJi8gLroK6uuFUlRoxxqDG+k2kK9PAiT/Zr2KIcw=:"
    "t5SYkkabxcVTLiJgXSJVEx6QLRFw7+LSfBbZLDnaNVk=";

TEST(ScramVerifier, ParseFormatRoundTrip) {
    auto parsed = parse_scram_verifier(postgres_verifier);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed.value().iterations, 4096);
    EXPECT_EQ(parsed.value().salt.size(), 16u);
    EXPECT_EQ(format_scram_verifier(parsed.value()), postgres_verifier);
}

TEST(ScramVerifier, DerivationMatchesPostgres) {
    auto parsed = parse_scram_verifier(postgres_verifier);
    ASSERT_TRUE(parsed);
    auto derived = make_scram_verifier("app", parsed.value().salt, 4096);
    ASSERT_TRUE(derived);
    EXPECT_EQ(format_scram_verifier(derived.value()), postgres_verifier);
}

TEST(ScramVerifier, RandomSaltedVerifierAuthenticates) {
    auto verifier = make_scram_verifier("pw", counter_source(7), 1000);
    ASSERT_TRUE(verifier);
    EXPECT_TRUE(format_scram_verifier(verifier.value())
                    .starts_with("SCRAM-SHA-256$1000:BwgJCgsMDQ4PEBESExQVFg==$"));
    ScramServer server(verifier.value());
    ScramClient client("u", "pw");
    auto s1 =
        server.server_first(client.client_first(counter_source(0)).value(), counter_source(1));
    auto s2 = server.server_final(client.client_final(s1.value()).value());
    ASSERT_TRUE(s2);
    EXPECT_TRUE(client.verify_server_final(s2.value()));
}

TEST(ScramVerifier, RejectsMalformed) {
    for (std::string_view bad :
         {"", "md5abc", "SCRAM-SHA-256$", "SCRAM-SHA-256$4096:AAAA$AAAA:AAAA",
          "SCRAM-SHA-256$x:CldCA3Zh+T2R56J477OKDA==$4I+uJi8gLroK6uuFUlRoxxqDG+k2kK9PAiT/Zr2KIcw=:"
          "t5SYkkabxcVTLiJgXSJVEx6QLRFw7+LSfBbZLDnaNVk=",
          "SCRAM-SHA-256$4096:CldCA3Zh+T2R56J477OKDA==$4I+uJi8gLroK6uuFUlRoxxqDG+k2kK9PAiT/"
          "Zr2KIcw="}) {
        EXPECT_FALSE(parse_scram_verifier(bad)) << bad;
    }
}

} // namespace
} // namespace shardgate::protocol::pg
