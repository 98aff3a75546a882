// etcd v3 JSON gateway client (see etcd_client.hpp).
#include "shardgate/proxy/etcd_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace shardgate::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using json = nlohmann::json;

namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::int64_t number(const json& doc, const char* field) {
    if (!doc.contains(field)) {
        return 0; // the gateway omits default values
    }
    const auto& value = doc[field];
    return value.is_string() ? std::stoll(value.get<std::string>()) : value.get<std::int64_t>();
}

EtcdValue value_of(const json& kv) {
    EtcdValue out;
    out.key = base64_decode(kv.value("key", "")).value_or("");
    out.value = base64_decode(kv.value("value", "")).value_or("");
    out.mod_revision = number(kv, "mod_revision");
    out.lease = number(kv, "lease");
    return out;
}

/// The first key after every key starting with `prefix`.
std::string prefix_end(std::string prefix) {
    while (!prefix.empty()) {
        auto& last = prefix.back();
        if (static_cast<unsigned char>(last) < 0xff) {
            ++last;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::string(1, '\0'); // every key
}

} // namespace

std::string etcd_map_key(const std::string& prefix) {
    return prefix + "/map";
}

std::string etcd_proxy_key(const std::string& prefix, const std::string& proxy_id) {
    return prefix + "/proxies/" + proxy_id;
}

std::string base64_encode(const std::string& bytes) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    if (i + 1 == bytes.size()) {
        const auto n = static_cast<unsigned char>(bytes[i]) << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(const std::string& text) {
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (const char c : text) {
        if (c == '=') {
            break;
        }
        const auto at = alphabet.find(c);
        if (at == std::string_view::npos) {
            return std::nullopt;
        }
        bits = (bits << 6) | static_cast<unsigned>(at);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xff);
        }
    }
    return out;
}

namespace {

/// POSTs `body` to `path` on the first of `endpoints` that answers within `timeout`; nullopt
/// (and why in `last_error`) when none does (`refused`: one answered with an error status).
std::optional<std::string> post_once(const std::vector<std::string>& endpoints,
                                     std::chrono::milliseconds timeout, const std::string& path,
                                     const std::string& body, std::string& last_error,
                                     bool& refused) {
    for (const auto& endpoint : endpoints) {
        const auto colon = endpoint.rfind(':');
        const auto host = endpoint.substr(0, colon);
        const auto port =
            colon == std::string::npos ? std::string("2379") : endpoint.substr(colon + 1);
        try {
            asio::io_context io;
            asio::ip::tcp::resolver resolver(io);
            beast::tcp_stream stream(io);
            stream.expires_after(timeout);
            stream.async_connect(resolver.resolve(host, port),
                                 [](const beast::error_code&, const auto&) {});
            io.run();
            io.restart();
            if (!stream.socket().is_open()) {
                throw EtcdError("cannot connect");
            }
            http::request<http::string_body> request{http::verb::post, path, 11};
            request.set(http::field::host, host);
            request.set(http::field::content_type, "application/json");
            request.body() = body;
            request.prepare_payload();
            beast::error_code ec;
            http::response<http::string_body> response;
            beast::flat_buffer buffer;
            stream.expires_after(timeout);
            http::async_write(stream, request, [&](const beast::error_code& e, std::size_t) {
                ec = e;
                if (!ec) {
                    http::async_read(stream, buffer, response,
                                     [&](const beast::error_code& r, std::size_t) { ec = r; });
                }
            });
            io.run();
            if (ec) {
                throw EtcdError(ec.message());
            }
            if (response.result() != http::status::ok) {
                refused = true;
                throw EtcdError("etcd answered " + std::to_string(response.result_int()) + ": " +
                                response.body());
            }
            return response.body();
        } catch (const std::exception& e) {
            last_error = endpoint + ": " + e.what();
        }
    }
    return std::nullopt;
}

} // namespace

EtcdClient::EtcdClient(std::vector<std::string> endpoints, std::chrono::milliseconds timeout)
    : endpoints_(std::move(endpoints)), timeout_(timeout) {}

std::string EtcdClient::call(const std::string& path, const std::string& body) const {
    std::string last_error = "no etcd endpoint configured";
    // A request that means the same when repeated is sent a second time after a failure (an
    // etcd that stalled past the timeout on a busy disk); a transaction or a new lease is not:
    // the first may have been applied.
    const bool idempotent = path != "/v3/kv/txn" && path != "/v3/lease/grant";
    for (int round = 0; round < (idempotent ? 2 : 1); ++round) {
        bool refused = false; // etcd answered, with an error: asking again changes nothing
        if (auto answer = post_once(endpoints_, timeout_, path, body, last_error, refused)) {
            return *answer;
        }
        if (refused) {
            break;
        }
    }
    throw EtcdError(last_error);
}

std::optional<EtcdValue> EtcdClient::get(const std::string& key) const {
    const auto doc = json::parse(call("/v3/kv/range", json{{"key", base64_encode(key)}}.dump()));
    if (!doc.contains("kvs") || doc["kvs"].empty()) {
        return std::nullopt;
    }
    return value_of(doc["kvs"][0]);
}

std::vector<EtcdValue> EtcdClient::list(const std::string& prefix) const {
    const auto doc =
        json::parse(call("/v3/kv/range", json{{"key", base64_encode(prefix)},
                                              {"range_end", base64_encode(prefix_end(prefix))}}
                                             .dump()));
    std::vector<EtcdValue> out;
    if (doc.contains("kvs")) {
        for (const auto& kv : doc["kvs"]) {
            out.push_back(value_of(kv));
        }
    }
    return out;
}

void EtcdClient::put(const std::string& key, const std::string& value, std::int64_t lease) const {
    json body{{"key", base64_encode(key)}, {"value", base64_encode(value)}};
    if (lease != 0) {
        body["lease"] = std::to_string(lease);
    }
    call("/v3/kv/put", body.dump());
}

bool EtcdClient::put_if(const std::string& key, const std::string& value, std::int64_t revision,
                        std::int64_t lease) const {
    json compare{{"key", base64_encode(key)}, {"result", "EQUAL"}};
    if (revision == 0) {
        compare["target"] = "CREATE";
        compare["create_revision"] = "0";
    } else {
        compare["target"] = "MOD";
        compare["mod_revision"] = std::to_string(revision);
    }
    json put{{"key", base64_encode(key)}, {"value", base64_encode(value)}};
    if (lease != 0) {
        put["lease"] = std::to_string(lease);
    }
    const json body{{"compare", json::array({compare})},
                    {"success", json::array({json{{"request_put", put}}})}};
    const auto doc = json::parse(call("/v3/kv/txn", body.dump()));
    return doc.value("succeeded", false);
}

std::int64_t EtcdClient::grant(std::int64_t ttl_seconds) const {
    const auto doc =
        json::parse(call("/v3/lease/grant", json{{"TTL", std::to_string(ttl_seconds)}}.dump()));
    const auto id = number(doc, "ID");
    if (id == 0) {
        throw EtcdError("etcd granted no lease: " + doc.dump());
    }
    return id;
}

bool EtcdClient::keepalive(std::int64_t lease) const {
    const auto doc =
        json::parse(call("/v3/lease/keepalive", json{{"ID", std::to_string(lease)}}.dump()));
    return doc.contains("result") && number(doc["result"], "TTL") > 0;
}

void EtcdClient::revoke(std::int64_t lease) const {
    call("/v3/lease/revoke", json{{"ID", std::to_string(lease)}}.dump());
}

} // namespace shardgate::proxy
