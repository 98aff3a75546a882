// The shared socket helpers (shardgate/proxy/net/wire_io.hpp) under the names the PostgreSQL
// and MySQL data-plane code uses.
#pragma once

#include "shardgate/proxy/net/wire_io.hpp"

namespace shardgate::proxy::pg {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using net::read_more;
using net::ReadBuffer;
using net::write_all;

} // namespace shardgate::proxy::pg
