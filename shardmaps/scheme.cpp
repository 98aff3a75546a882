// Scheme names and a helper shared by the schemes.
#include "shardgate/shardmaps/scheme.hpp"

namespace shardgate::shardmaps {

std::string_view scheme_kind_name(SchemeKind kind) {
    switch (kind) {
    case SchemeKind::hash:
        return "hash";
    case SchemeKind::consistent_hash:
        return "consistent_hash";
    case SchemeKind::range:
        return "range";
    case SchemeKind::list:
        return "list";
    case SchemeKind::time:
        return "time";
    }
    return "?";
}

std::optional<SchemeKind> parse_scheme_kind(std::string_view name) {
    for (auto kind : {SchemeKind::hash, SchemeKind::consistent_hash, SchemeKind::range,
                      SchemeKind::list, SchemeKind::time}) {
        if (scheme_kind_name(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
}

} // namespace shardgate::shardmaps
