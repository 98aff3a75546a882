// Names and the human-readable form of plans.
#include "shardgate/router/plan.hpp"

namespace shardgate::router {

std::string_view plan_kind_name(PlanKind kind) {
    switch (kind) {
    case PlanKind::route:
        return "route";
    case PlanKind::scatter:
        return "scatter";
    case PlanKind::broadcast:
        return "broadcast";
    case PlanKind::reject:
        return "reject";
    case PlanKind::session:
        return "session";
    }
    return "?";
}

std::string_view role_name(Role role) {
    return role == Role::primary ? "primary" : "replica";
}

std::string_view verb_name(Verb verb) {
    switch (verb) {
    case Verb::other:
        return "other";
    case Verb::begin:
        return "begin";
    case Verb::start_transaction:
        return "start_transaction";
    case Verb::commit:
        return "commit";
    case Verb::rollback:
        return "rollback";
    case Verb::rollback_to:
        return "rollback_to";
    case Verb::savepoint:
        return "savepoint";
    case Verb::release:
        return "release";
    case Verb::two_phase:
        return "two_phase";
    case Verb::set:
        return "set";
    case Verb::reset:
        return "reset";
    case Verb::discard:
        return "discard";
    case Verb::use:
        return "use";
    case Verb::prepare:
        return "prepare";
    case Verb::execute:
        return "execute";
    case Verb::deallocate:
        return "deallocate";
    case Verb::listen:
        return "listen";
    case Verb::unlisten:
        return "unlisten";
    case Verb::copy:
        return "copy";
    case Verb::kill:
        return "kill";
    case Verb::describe:
        return "describe";
    }
    return "?";
}

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

std::string_view aggregate_name(parser::Aggregate a) {
    switch (a) {
    case parser::Aggregate::count:
        return "count";
    case parser::Aggregate::sum:
        return "sum";
    case parser::Aggregate::min:
        return "min";
    case parser::Aggregate::max:
        return "max";
    case parser::Aggregate::avg:
        return "avg";
    case parser::Aggregate::bool_and:
        return "bool_and";
    case parser::Aggregate::bool_or:
        return "bool_or";
    case parser::Aggregate::complex:
        return "complex";
    case parser::Aggregate::none:
        break;
    }
    return "none";
}

std::string describe_merge(const MergeSpec& m) {
    std::string out;
    auto keys = [](const std::vector<MergeKey>& ks) {
        std::string s;
        for (const auto& k : ks) {
            s += (s.empty() ? "" : ", ") + k.text; // the key as written, direction included
        }
        return s;
    };
    if (!m.order_by.empty()) {
        out += "  merge: order by " + keys(m.order_by) + "\n";
    }
    if (!m.group_by.empty()) {
        out += "  merge: group by " + keys(m.group_by) + "\n";
    }
    for (const auto& a : m.aggregates) {
        out += "  merge: " + std::string(aggregate_name(a.function)) + " of column " +
               std::to_string(a.output + 1) + "\n";
    }
    if (m.distinct) {
        out += "  merge: distinct\n";
    }
    if (m.having) {
        out += m.having_begin ? "  merge: having, evaluated on the merged groups (the shards "
                                "return every group)\n"
                              : "  merge: having (not mergeable here)\n";
    }
    if (m.window) {
        out += "  merge: window functions (not mergeable yet)\n";
    }
    if (m.limit) {
        out += "  merge: limit " + std::to_string(*m.limit) + "\n";
    }
    if (m.offset) {
        out += "  merge: offset " + std::to_string(*m.offset) + "\n";
    }
    if (m.split_insert_rows) {
        out += "  merge: split INSERT rows per shard\n";
    }
    if (m.split_copy_rows) {
        out += "  merge: split COPY rows per shard by their key field\n";
    }
    return out;
}

} // namespace

std::string describe(const Plan& plan) {
    std::string out = std::string(plan_kind_name(plan.kind));
    if (const auto& g = plan.generated_keys) {
        out = g->next_value ? "generated key: answered by shardgate with the next id of " +
                                  g->table + "." + g->column
                            : "generated keys: " + std::to_string(g->count) + " id(s) for " +
                                  g->table + "." + g->column + ", then the rows are routed by them";
        out += "\n  counter: " + g->sequence + " on shard " + join(plan.shard_names) +
               ", blocks of " + std::to_string(g->block) + " ids per proxy\n";
        return out;
    }
    if (const auto& m = plan.key_move) {
        return "key move -> " + join(plan.shard_names) + " [primary]\n  why: the UPDATE sets " +
               m->table + "." + m->column + " to " + m->key + ", which lives on shard " +
               m->shard_name + ": its rows are updated, read and deleted there and inserted on " +
               m->shard_name + " (shard_key_updates: move)\n";
    }
    if (plan.kind == PlanKind::reject) {
        out += " (" + plan.sqlstate + "): " + plan.reason + "\n";
        return out;
    }
    if (plan.kind != PlanKind::session) {
        out += " -> " + join(plan.shard_names) + " [" + std::string(role_name(plan.role)) + "]";
    }
    out += "\n  why: " + plan.reason + "\n";
    if (!plan.tables.empty()) {
        out += "  tables: " + join(plan.tables) + "\n";
    }
    out += describe_merge(plan.merge);
    return out;
}

} // namespace shardgate::router
