// A small column-aligned text table for shardctl's human-readable output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace shardctl {

/// Collects rows, then prints them with columns padded to their widest cell.
class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) : rows_{std::move(header)} {}

    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    /// Prints the header, a rule, and the rows, each line indented by `indent` spaces.
    void print(std::ostream& out, std::size_t indent = 0) const;

private:
    std::vector<std::vector<std::string>> rows_;
};

} // namespace shardctl
