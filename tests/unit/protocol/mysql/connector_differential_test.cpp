// Where a text-protocol response ends, as shardgate's ResponseTracker says and as MariaDB
// Connector/C finds it, for result sets built field by field and then broken in the ways a
// broken backend breaks them (wrong column counts, missing or extra EOF/OK packets, rows after
// the end, truncated rows, flipped bytes). A fake server (a thread on 127.0.0.1, no real
// server) answers Connector/C's login, then the first query with the response under test and
// the second with a marker result set: Connector/C ended the first response where the second
// begins when the second query reads exactly the marker. Wherever Connector/C read the first
// response whole and the marker after it, the tracker must end the response at the same byte
// (a proxy that ends it earlier would hand the rest to the next query); wherever the tracker
// ends a response before its last byte, Connector/C must not have read it whole.
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <gtest/gtest.h>
#include <mysql.h>
#include <netinet/in.h>
#include <optional>
#include <random>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

constexpr std::uint32_t capabilities = 1 | 8 | 512 | 8192 | 32768 | (1u << 19);

Buffer frame(std::uint8_t sequence, const Buffer& payload) {
    Buffer out;
    const auto size = payload.size();
    out.push_back(std::byte(size & 0xff));
    out.push_back(std::byte((size >> 8) & 0xff));
    out.push_back(std::byte((size >> 16) & 0xff));
    out.push_back(std::byte(sequence));
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Buffer column(const std::string& name) {
    return PayloadBuilder()
        .lenenc_str("def")
        .lenenc_str("")
        .lenenc_str("")
        .lenenc_str("")
        .lenenc_str(name)
        .lenenc_str("")
        .u8(0x0c)
        .u16(33)
        .u32(255)
        .u8(0xfd)
        .u16(0)
        .u8(0)
        .u16(0);
}

Buffer eof() {
    return PayloadBuilder().u8(0xfe).u16(0).u16(2);
}
Buffer ok() {
    return PayloadBuilder().u8(0).u8(0).u8(0).u16(2).u16(0);
}

Buffer row(const std::vector<std::optional<std::string>>& values) {
    PayloadBuilder b;
    for (const auto& v : values) {
        if (v) {
            b.lenenc_str(*v);
        } else {
            b.u8(0xfb);
        }
    }
    return b;
}

/// A response as its payloads (sequence ids are given when framed: 1, 2, ...).
using Payloads = std::vector<Buffer>;

Buffer framed(const Payloads& payloads) {
    Buffer out;
    std::uint8_t sequence = 1;
    for (const auto& p : payloads) {
        const auto f = frame(sequence++, p);
        out.insert(out.end(), f.begin(), f.end());
    }
    return out;
}

/// `prefix` and `n` as text.
std::string numbered(const char* prefix, int n) {
    std::string out(prefix);
    out += std::to_string(n);
    return out;
}

/// A result set of `columns` columns and `rows` rows (values "rRcC").
Payloads result_set(int columns, int rows) {
    Payloads out{PayloadBuilder().lenenc(std::uint64_t(columns))};
    for (int c = 0; c < columns; ++c) {
        out.push_back(column(numbered("c", c)));
    }
    out.push_back(eof());
    for (int r = 0; r < rows; ++r) {
        std::vector<std::optional<std::string>> values;
        for (int c = 0; c < columns; ++c) {
            values.push_back(numbered("r", r) + numbered("c", c));
        }
        out.push_back(row(values));
    }
    out.push_back(eof());
    return out;
}

const Buffer& marker() {
    static const Buffer bytes = framed({PayloadBuilder().lenenc(1), column("marker"), eof(),
                                        row({std::string("the-marker")}), eof()});
    return bytes;
}

bool read_exact(int fd, void* out, std::size_t size) {
    auto* p = static_cast<char*>(out);
    while (size > 0) {
        const auto n = ::read(fd, p, size);
        if (n <= 0) {
            return false;
        }
        p += n;
        size -= std::size_t(n);
    }
    return true;
}

bool read_packet(int fd) {
    unsigned char header[4];
    if (!read_exact(fd, header, 4)) {
        return false;
    }
    std::vector<char> body(header[0] | (header[1] << 8) | (header[2] << 16));
    return body.empty() || read_exact(fd, body.data(), body.size());
}

void write_all(int fd, const Buffer& bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + at, bytes.size() - at);
        if (n <= 0) {
            return;
        }
        at += std::size_t(n);
    }
}

/// One connection: login, then `first` for the first query and the marker for the second.
class FakeServer {
public:
    explicit FakeServer(Buffer first) : first_(std::move(first)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_, 1);
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeServer() {
        ::shutdown(listener_, SHUT_RDWR);
        ::close(listener_);
        thread_.join();
    }
    unsigned port() const { return port_; }

private:
    void serve() {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) {
            return;
        }
        const std::string salt = "abcdefghijklmnopqrst";
        const Buffer greeting = PayloadBuilder()
                                    .u8(10)
                                    .nul_str("10.11.99-fake")
                                    .u32(7)
                                    .str(salt.substr(0, 8))
                                    .u8(0)
                                    .u16(capabilities & 0xffff)
                                    .u8(33)
                                    .u16(2)
                                    .u16(capabilities >> 16)
                                    .u8(21)
                                    .zeros(10)
                                    .str(salt.substr(8))
                                    .u8(0)
                                    .nul_str("mysql_native_password");
        write_all(fd, frame(0, greeting));
        if (read_packet(fd)) {
            write_all(fd, frame(2, ok()));
            if (read_packet(fd)) {
                write_all(fd, first_);
                if (read_packet(fd)) {
                    write_all(fd, marker());
                    read_packet(fd); // (COM_QUIT)
                }
            }
        }
        ::close(fd);
    }

    Buffer first_;
    int listener_ = -1;
    unsigned port_ = 0;
    std::thread thread_;
};

/// What Connector/C made of the first response: read whole (the marker came next), or not.
struct ClientView {
    bool first_ok = false;
    bool aligned = false; ///< the second query read exactly the marker
    std::string error;
};

ClientView connector_view(const Buffer& response) {
    FakeServer server(response);
    ClientView out;
    MYSQL* mysql = mysql_init(nullptr);
    const unsigned timeout = 2;
    mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &timeout);
    if (mysql_real_connect(mysql, "127.0.0.1", "u", "p", nullptr, server.port(), nullptr, 0) ==
        nullptr) {
        out.error = mysql_error(mysql);
        mysql_close(mysql);
        return out;
    }
    if (mysql_query(mysql, "SELECT 1") == 0) {
        MYSQL_RES* result = mysql_store_result(mysql);
        out.first_ok = mysql_errno(mysql) == 0;
        if (result != nullptr) {
            mysql_free_result(result);
        }
    }
    out.error = mysql_error(mysql);
    if (out.first_ok && mysql_query(mysql, "SELECT 2") == 0) {
        if (MYSQL_RES* result = mysql_store_result(mysql)) {
            MYSQL_ROW row = mysql_fetch_row(result);
            out.aligned = mysql_num_fields(result) == 1 && row != nullptr && row[0] != nullptr &&
                          std::string(row[0]) == "the-marker" && mysql_fetch_row(result) == nullptr;
            mysql_free_result(result);
        }
    }
    mysql_close(mysql);
    return out;
}

/// Where the tracker ends the response: the byte after its last frame, or nullopt (a protocol
/// error, or it waits for more).
std::optional<std::size_t> tracker_end(const Buffer& response) {
    ResponseTracker tracker(ResponseKind::text_query, capabilities);
    Bytes rest(response);
    std::size_t at = 0;
    while (!rest.empty()) {
        const auto decoded = decode_frame(rest);
        if (!decoded.ok()) {
            return std::nullopt;
        }
        const auto step = tracker.on_frame(decoded.value());
        at += decoded.consumed();
        rest = rest.subspan(decoded.consumed());
        if (step.status == TrackStatus::complete) {
            return at;
        }
        if (step.status != TrackStatus::more) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

/// The differential property for one response; "" when it holds. `checked` counts the
/// responses Connector/C read whole (where the property says something).
std::string disagreement(const std::string& name, const Buffer& response, int& checked) {
    const auto client = connector_view(response);
    const auto end = tracker_end(response);
    checked += client.first_ok && client.aligned ? 1 : 0;
    if (client.first_ok && client.aligned && end != response.size()) {
        return name + ": Connector/C read the response whole, the tracker " +
               (end ? "ended it at byte " + std::to_string(*end) + " of " +
                          std::to_string(response.size())
                    : std::string("did not end it"));
    }
    return "";
}

TEST(ConnectorDifferential, WellFormedResultSetsEndWhereConnectorCEndsThem) {
    for (const auto& [columns, rows] : {std::pair{1, 0}, {1, 1}, {3, 5}, {20, 2}, {1, 300}}) {
        const auto response = framed(result_set(columns, rows));
        const auto client = connector_view(response);
        ASSERT_TRUE(client.first_ok && client.aligned) << client.error;
        EXPECT_EQ(tracker_end(response), response.size()) << columns << " x " << rows;
    }
    const auto plain_ok = framed({ok()});
    EXPECT_TRUE(connector_view(plain_ok).aligned);
    EXPECT_EQ(tracker_end(plain_ok), plain_ok.size());
}

TEST(ConnectorDifferential, BrokenResultSetsAreNeverEndedEarly) {
    std::vector<std::pair<std::string, Payloads>> cases;
    auto base = result_set(2, 3);
    {
        auto p = base; // more columns announced than defined
        p[0] = PayloadBuilder().lenenc(3);
        cases.emplace_back("count 3, 2 definitions", p);
    }
    {
        auto p = base; // fewer columns announced than defined
        p[0] = PayloadBuilder().lenenc(1);
        cases.emplace_back("count 1, 2 definitions", p);
    }
    {
        auto p = base; // the EOF after the definitions left out
        p.erase(p.begin() + 3);
        cases.emplace_back("no EOF after definitions", p);
    }
    {
        auto p = base; // an OK where the last EOF goes
        p.back() = ok();
        cases.emplace_back("OK instead of the final EOF", p);
    }
    {
        auto p = base; // a row after the final EOF
        p.push_back(row({std::string("late"), std::string("row")}));
        cases.emplace_back("a row after the final EOF", p);
    }
    {
        auto p = base; // an extra OK after the final EOF
        p.push_back(ok());
        cases.emplace_back("an OK after the final EOF", p);
    }
    {
        auto p = base; // a row with one value short
        p[5] = row({std::string("short")});
        cases.emplace_back("a row one value short", p);
    }
    {
        auto p = base; // a row whose value length runs past its packet
        p[5] = PayloadBuilder().lenenc(200).str("abc");
        cases.emplace_back("a value longer than its packet", p);
    }
    {
        auto p = base; // an ERR in place of a row
        p[6] = PayloadBuilder().u8(0xff).u16(1064).str("#42000boom");
        cases.emplace_back("an ERR among the rows", p);
    }
    {
        auto p = base; // a 0xfe packet that is a row (long enough not to be an EOF)
        p[5] = PayloadBuilder().u8(0xfe).str(std::string(10, 'x'));
        cases.emplace_back("a row starting with 0xfe", p);
    }
    int checked = 0;
    for (const auto& [name, payloads] : cases) {
        const auto problem = disagreement(name, framed(payloads), checked);
        EXPECT_TRUE(problem.empty()) << problem;
    }
    RecordProperty("read_whole_by_connector_c", checked);
}

TEST(ConnectorDifferential, FlippedBytesAreNeverEndedEarly) {
    std::mt19937 random(20261206);
    const auto payloads = result_set(2, 4);
    const auto base = framed(payloads);
    // payload bytes only (a frame header's wrong length would only stall both sides)
    std::vector<std::size_t> inside;
    std::size_t at = 0;
    for (const auto& p : payloads) {
        for (std::size_t i = 0; i < p.size(); ++i) {
            inside.push_back(at + 4 + i);
        }
        at += 4 + p.size();
    }
    int checked = 0;
    for (int i = 0; i < 150; ++i) {
        auto response = base;
        const auto at = inside[random() % inside.size()];
        response[at] = std::byte(random() & 0xff);
        const auto problem = disagreement(numbered("flip at ", int(at)), response, checked);
        EXPECT_TRUE(problem.empty()) << problem;
    }
    // (a flip inside a value keeps the response whole: the property was put to work)
    EXPECT_GT(checked, 10);
    RecordProperty("read_whole_by_connector_c", checked);
}

} // namespace
} // namespace shardgate::protocol::mysql
