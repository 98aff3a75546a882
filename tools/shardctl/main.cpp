// Entry point of shardctl, the operators' CLI.
#include "commands.hpp"
#include "shardgate/version.hpp"

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"shardctl: manage and inspect shardgate shard maps"};
    app.set_version_flag("-V,--version", std::string("shardctl ") + shardgate::version);
    app.require_subcommand(1);
    shardctl::register_map_commands(app);
    shardctl::register_route_command(app);
    shardctl::register_status_command(app);
    shardctl::register_txn_command(app);
    shardctl::register_schema_command(app);
    shardctl::register_placement_command(app);
    shardctl::register_apply_command(app);
    shardctl::register_proxies_command(app);
    shardctl::register_cutover_command(app);
    shardctl::register_reshard_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return 0;
}
