// Sends a CancelRequest to a backend on a fresh connection (fire and forget).
#pragma once

#include "shardgate/protocol/pg/backend_messages.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/shardmaps/endpoint.hpp"

#include <boost/asio/io_context.hpp>

namespace shardgate::proxy::pg {

/// Connects to `endpoint` and sends CancelRequest(key); errors are logged and ignored, as
/// PostgreSQL itself gives no answer to a cancel.
void forward_cancel(boost::asio::io_context& io, const shardmaps::Endpoint& endpoint,
                    protocol::pg::BackendKeyData key);

} // namespace shardgate::proxy::pg
