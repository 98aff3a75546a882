// shardctl's admin API client (see admin_http.hpp).
#include "admin_http.hpp"

#include "commands.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <stdexcept>

namespace shardctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

AdminUrl parse_admin_url(std::string text) {
    const std::string scheme = "http://";
    if (text.rfind(scheme, 0) == 0) {
        text.erase(0, scheme.size());
    } else if (text.find("://") != std::string::npos) {
        throw std::runtime_error("only http:// admin URLs are supported: " + text);
    }
    AdminUrl url;
    const auto slash = text.find('/');
    url.path = slash == std::string::npos ? "" : text.substr(slash);
    while (!url.path.empty() && url.path.back() == '/') {
        url.path.pop_back();
    }
    text = text.substr(0, slash);
    const auto colon = text.rfind(':');
    url.host = colon == std::string::npos ? text : text.substr(0, colon);
    url.port = colon == std::string::npos ? "80" : text.substr(colon + 1);
    if (url.host.empty() || url.port.empty()) {
        throw std::runtime_error("admin URL needs host:port, e.g. http://127.0.0.1:6080");
    }
    return url;
}

http::response<http::string_body> admin_request(const AdminUrl& url, http::verb verb,
                                                const std::string& path, const std::string& token,
                                                const std::string& body) {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(url.host, url.port));
    http::request<http::string_body> request{verb, url.path + path, 11};
    request.set(http::field::host, url.host);
    request.set(http::field::user_agent, "shardctl");
    if (!token.empty()) {
        request.set(http::field::authorization, "Bearer " + token);
    }
    if (verb == http::verb::post) {
        request.set(http::field::content_type, "application/yaml");
        request.body() = body;
        request.prepare_payload();
    }
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return response;
}

std::string admin_token(const std::string& token) {
    return or_env(token, "SHARDGATE_ADMIN_TOKEN");
}

} // namespace shardctl
