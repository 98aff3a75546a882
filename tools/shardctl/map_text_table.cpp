// TextTable: padded columns, UTF-8 aware enough for list values and shard names.
#include "map_text_table.hpp"

#include <algorithm>

namespace shardctl {
namespace {

// Display width: counts UTF-8 lead bytes, so non-ASCII values do not skew the columns.
std::size_t width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

} // namespace

void TextTable::print(std::ostream& out, std::size_t indent) const {
    std::vector<std::size_t> widths;
    for (const auto& row : rows_) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], width(row[i]));
        }
    }
    auto print_row = [&](const std::vector<std::string>& row) {
        std::string line(indent, ' ');
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line += std::string(widths[i] - width(row[i]) + 2, ' ');
            }
        }
        out << line << '\n';
    };
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        print_row(rows_[r]);
        if (r == 0) {
            std::size_t total = 0;
            for (auto w : widths) {
                total += w + 2;
            }
            out << std::string(indent, ' ') << std::string(total > 2 ? total - 2 : 0, '-') << '\n';
        }
    }
}

} // namespace shardctl
