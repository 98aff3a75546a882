// Sends a CancelRequest to a backend on a fresh connection; the cancelled connection knows
// when the server has acted on it.
#pragma once

#include "backend_connection.hpp"

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>

namespace shardgate::proxy::pg {

/// How long a cancel may wait for the server to close its connection (it does so once it has
/// signalled the process); past it the cancelled connection is not used again.
constexpr std::chrono::seconds cancel_answer_timeout{5};

/// Connects to `connection`'s server and sends the CancelRequest for its process, over TLS
/// when its backend_tls asks for it; errors are logged and ignored, as PostgreSQL itself gives
/// no answer to a cancel. The connection counts the cancel as under way until the server has
/// closed the cancel's connection, or for at most cancel_answer_timeout (see
/// BackendConnection::cancels_settled()).
void forward_cancel(boost::asio::io_context& io,
                    const std::shared_ptr<BackendConnection>& connection);

} // namespace shardgate::proxy::pg
