// Reads the statement corpus in tests/corpus (one statement per line, `--` lines are comments).
#pragma once

#include <string>
#include <vector>

namespace shardgate::parser::test_support {

struct CorpusStatement {
    std::string file;
    int line = 0;
    std::string sql;
};

/// All statements of tests/corpus/<dialect>/*.sql, in file then line order.
std::vector<CorpusStatement> load_corpus(const std::string& dialect);

} // namespace shardgate::parser::test_support
