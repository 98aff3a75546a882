// A Bind's parameters written into its statement's text as PostgreSQL literals, for shadow
// reads of prepared statements (control/shadow_reads: the shadow runs text statements).
// Pure function; unit tested.
#pragma once

#include "shardgate/protocol/pg/frontend_messages.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy::pg {

/// `sql` with each `$n` replaced by the literal of Bind parameter n: text-format values as
/// string constants (untyped: the server types them as it types the parameter; `E'...'` with
/// doubled backslashes when the value has one), NULL as NULL, binary values of parameters Parse
/// declared int2, int4 or int8
/// (`types`: Parse's type OIDs) as numbers. nullopt when a parameter is missing or in another
/// binary form, or the statement cannot be read.
std::optional<std::string> inline_parameters(std::string_view sql,
                                             const std::vector<std::uint32_t>& types,
                                             const protocol::pg::Bind& bind);

} // namespace shardgate::proxy::pg
