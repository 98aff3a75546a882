// Loader for the list scheme: value sets per shard, each value listed once.
#include "scheme_loader.hpp"
#include "shardgate/shardmaps/list_scheme.hpp"

#include <map>

namespace shardgate::shardmaps::detail {
namespace {

// The canonical text of a listed value, or nullopt after reporting why the key cannot hold it.
std::optional<std::string> canonical_value(SchemeContext& context, const YAML::Node& value) {
    if (!value.IsScalar()) {
        context.reader.error(value, "list values must be single values such as DE or 42");
        return std::nullopt;
    }
    if (is_integer_type(context.key.type)) {
        const auto number = read_integer_bound(context, value);
        return number ? std::optional(std::to_string(*number)) : std::nullopt;
    }
    return context.key.case_insensitive ? fold_case(value.Scalar()) : value.Scalar();
}

} // namespace

std::shared_ptr<const Scheme> load_list_scheme(SchemeContext& context) {
    const YAML::Node node = context.table_node["lists"];
    if (!node.IsDefined() || !node.IsSequence() || node.size() == 0) {
        context.reader.error(node.IsDefined() ? node : context.table_node,
                             "list table " + context.table +
                                 " needs 'lists': a list of {shard: NAME, values: [A, B]}");
        return nullptr;
    }
    bool ok = true;
    const auto default_shard = load_table_default(context, ok);
    std::vector<ListEntry> entries;
    std::map<std::string, YAML::Node> seen;
    for (const auto& list : node) {
        if (!context.reader.expect_map(list, "list", {"shard", "values"})) {
            ok = false;
            continue;
        }
        const auto shard = context.shards.resolve(context.reader, list["shard"]);
        const YAML::Node values = list["values"];
        if (!values.IsDefined() || !values.IsSequence()) {
            context.reader.error(values.IsDefined() ? values : list,
                                 "'values' must be a list such as [DE, FR]");
            ok = false;
            continue;
        }
        ok = ok && shard;
        for (const auto& value : values) {
            const auto canonical = canonical_value(context, value);
            if (!canonical) {
                ok = false;
                continue;
            }
            if (const auto it = seen.find(*canonical); it != seen.end()) {
                context.reader.error(value, "value '" + value.Scalar() +
                                                "' is already listed at line " +
                                                std::to_string(MapReader::line_of(it->second)) +
                                                ": list each value for one shard only");
                ok = false;
                continue;
            }
            seen.emplace(*canonical, value);
            entries.push_back({*canonical, shard.value_or(0)});
        }
    }
    return ok ? std::make_shared<ListScheme>(std::move(entries), default_shard) : nullptr;
}

} // namespace shardgate::shardmaps::detail
