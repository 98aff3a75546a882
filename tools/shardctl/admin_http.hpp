// A running proxy's admin API from shardctl: its URL and one request at a time (HTTP/1.1).
#pragma once

#include <boost/beast/http.hpp>
#include <string>

namespace shardctl {

struct AdminUrl {
    std::string host;
    std::string port;
    std::string path; ///< a prefix before the endpoint ("" usually)
};

/// Parses "http://host:port[/path]" (also "host:port"); throws on anything else.
AdminUrl parse_admin_url(std::string text);

/// Sends one request (`body` for POST) with the bearer `token` and reads the answer; throws
/// when the proxy cannot be reached.
boost::beast::http::response<boost::beast::http::string_body>
admin_request(const AdminUrl& url, boost::beast::http::verb verb, const std::string& path,
              const std::string& token, const std::string& body = {});

/// `token`, else $SHARDGATE_ADMIN_TOKEN.
std::string admin_token(const std::string& token);

} // namespace shardctl
