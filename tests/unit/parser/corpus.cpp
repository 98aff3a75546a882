// Corpus loader shared by the corpus and differential tests.
#include "corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace shardgate::parser::test_support {

std::vector<CorpusStatement> load_corpus(const std::string& dialect) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(SHARDGATE_CORPUS_DIR) + "/" + dialect)) {
        if (entry.path().extension() == ".sql") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<CorpusStatement> out;
    for (const auto& path : files) {
        std::ifstream in(path);
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (line.empty() || line.starts_with("--")) {
                continue;
            }
            out.push_back(CorpusStatement{path.filename().string(), number, line});
        }
    }
    return out;
}

} // namespace shardgate::parser::test_support
