// Sends a CancelRequest to a backend on a fresh connection (fire and forget).
#pragma once

#include "shardgate/protocol/pg/backend_messages.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/shardmaps/endpoint.hpp"

#include <boost/asio/io_context.hpp>
#include <memory>

namespace shardgate::proxy::pg {

/// Connects to `endpoint` and sends CancelRequest(key), over TLS when `tls` (the cancelled
/// connection's backend_tls) asks for it; errors are logged and ignored, as PostgreSQL itself
/// gives no answer to a cancel.
void forward_cancel(boost::asio::io_context& io, const shardmaps::Endpoint& endpoint,
                    protocol::pg::BackendKeyData key, std::shared_ptr<const net::BackendTls> tls);

} // namespace shardgate::proxy::pg
