// Public entry points of the loader: read the file, parse YAML, hand over to read_map().
#include "shardgate/shardmaps/loader.hpp"

#include "load_map.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace shardgate::shardmaps {

ShardMapPtr load_shard_map(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ShardMapError({Diagnostic{
            path, 0, 0, std::string("cannot read the map file: ") + std::strerror(errno)}});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_shard_map(text.str(), path);
}

ShardMapPtr parse_shard_map(std::string_view yaml_text, const std::string& file_name) {
    detail::MapReader reader(file_name);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::ParserException& e) {
        reader.error(e.mark, "invalid YAML: " + e.msg);
        throw ShardMapError(reader.diagnostics());
    }
    if (!root.IsDefined() || root.IsNull()) {
        throw ShardMapError({Diagnostic{file_name, 1, 1,
                                        "the map is empty: it needs format_version, epoch and "
                                        "databases"}});
    }
    return detail::read_map(reader, root);
}

} // namespace shardgate::shardmaps
