// Fuzzes the MariaDB binlog row-image reader of `shardctl reshard` (tools/shardctl/
// binlog_rows.cpp) with what a broken or hostile source server could send: the input is a
// column count, that many type codes, a metadata block and a rows body. It must never read
// out of bounds; every value it returns must lie inside the body.
#include "binlog_rows.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) {
        return 0;
    }
    const std::size_t count = data[0] % 16;
    const std::size_t meta_size = data[1] % 32;
    const bool update = (data[2] & 1) != 0;
    std::span<const std::uint8_t> rest(data + 3, size - 3);
    if (rest.size() < count + meta_size) {
        return 0;
    }
    const auto types = rest.first(count);
    const auto metadata = rest.subspan(count, meta_size);
    const auto body = rest.subspan(count + meta_size);
    std::string why;
    auto table = shardctl::binlog::columns(types, metadata, why);
    if (!table) {
        return 0;
    }
    std::vector<std::size_t> wanted;
    for (std::size_t c = 0; c < table->size(); ++c) {
        (*table)[c].is_unsigned = (c % 2) != 0;
        if (shardctl::binlog::readable_key((*table)[c])) {
            wanted.push_back(c);
        }
    }
    const auto rows = shardctl::binlog::rows(*table, body, update, wanted, why);
    if (rows) {
        for (const auto& row : *rows) {
            if (row.size() != wanted.size()) {
                std::abort();
            }
            for (const auto& value : row) {
                if (value && value->size() > body.size() + 20) {
                    std::abort();
                }
            }
        }
    }
    return 0;
}
