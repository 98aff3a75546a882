// Table placement and the key lookups the planner asks of it.
#include "shardgate/shardmaps/table.hpp"

namespace shardgate::shardmaps {

std::string_view table_kind_name(TableKind kind) {
    switch (kind) {
    case TableKind::vertical:
        return "vertical";
    case TableKind::reference:
        return "reference";
    case TableKind::horizontal:
        return "horizontal";
    }
    return "?";
}

Table Table::vertical(std::string name, ShardId shard) {
    Table table;
    table.name_ = std::move(name);
    table.kind_ = TableKind::vertical;
    table.shard_ = shard;
    return table;
}

Table Table::reference(std::string name, std::vector<ShardId> all_shards) {
    Table table;
    table.name_ = std::move(name);
    table.kind_ = TableKind::reference;
    table.all_shards_ = std::move(all_shards);
    return table;
}

Table Table::horizontal(std::string name, ShardKey key, std::shared_ptr<const Scheme> scheme,
                        std::string colocated_with) {
    Table table;
    table.name_ = std::move(name);
    table.kind_ = TableKind::horizontal;
    table.key_ = std::move(key);
    table.scheme_ = std::move(scheme);
    table.colocated_with_ = std::move(colocated_with);
    return table;
}

Result<Location> Table::locate(const KeyValue& key) const {
    if (kind_ == TableKind::vertical) {
        return Location{shard_, std::nullopt};
    }
    if (kind_ == TableKind::reference) {
        return lookup_error(LookupErrorCode::not_sharded,
                            "table " + name_ + " is a reference table: it is on every shard");
    }
    auto canonical = CanonicalKey::make(key, key_);
    if (!canonical) {
        return canonical.error();
    }
    return scheme_->locate(*canonical);
}

namespace {

Result<std::optional<CanonicalBound>> canonical_bound(const std::optional<KeyBound>& bound,
                                                      const ShardKey& key) {
    if (!bound) {
        return std::optional<CanonicalBound>{};
    }
    auto canonical = CanonicalKey::make(bound->value, key);
    if (!canonical) {
        return canonical.error();
    }
    return std::optional<CanonicalBound>{
        CanonicalBound{std::move(canonical).value(), bound->inclusive}};
}

} // namespace

Result<std::vector<ShardId>> Table::shards_for_range(const std::optional<KeyBound>& lo,
                                                     const std::optional<KeyBound>& hi) const {
    if (kind_ != TableKind::horizontal) {
        return shards();
    }
    auto low = canonical_bound(lo, key_);
    if (!low) {
        return low.error();
    }
    auto high = canonical_bound(hi, key_);
    if (!high) {
        return high.error();
    }
    return scheme_->shards_for_range(*low, *high);
}

std::vector<ShardId> Table::shards() const {
    switch (kind_) {
    case TableKind::vertical:
        return {shard_};
    case TableKind::reference:
        return all_shards_;
    case TableKind::horizontal:
        return scheme_->shards();
    }
    return {};
}

} // namespace shardgate::shardmaps
