// Golden routing cases: tests/unit/router/golden/*.cases (one "DATABASE SQL" per line) and the
// expected plans in the matching .golden file. SHARDGATE_UPDATE_GOLDEN=1 rewrites the .golden
// files; review the diff like code.
#include "planner_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace {

using namespace shardgate::router;
using namespace shardgate::router::testing;

std::string render_cases(const std::filesystem::path& cases) {
    std::ifstream in(cases);
    std::ostringstream out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto space = line.find(' ');
        const auto database = line.substr(0, space);
        const auto sql = line.substr(space + 1);
        out << "> " << database << ": " << sql << "\n" << describe(route(database, sql)) << "\n";
    }
    return out.str();
}

TEST(Golden, PlansMatchGoldenFiles) {
    const std::filesystem::path dir =
        std::filesystem::path(SHARDGATE_SOURCE_DIR) / "tests/unit/router/golden";
    const bool update = std::getenv("SHARDGATE_UPDATE_GOLDEN") != nullptr;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".cases") {
            continue;
        }
        ++files;
        auto golden_path = entry.path();
        golden_path.replace_extension(".golden");
        const auto actual = render_cases(entry.path());
        if (update) {
            std::ofstream(golden_path) << actual;
            continue;
        }
        std::ifstream in(golden_path);
        ASSERT_TRUE(in) << golden_path << " missing: run with SHARDGATE_UPDATE_GOLDEN=1";
        std::stringstream expected;
        expected << in.rdbuf();
        EXPECT_EQ(expected.str(), actual) << "plans changed for " << entry.path()
                                          << "; if intended, rerun with SHARDGATE_UPDATE_GOLDEN=1";
    }
    EXPECT_GT(files, 0);
}

} // namespace
