// MD5 (RFC 1321), written for the placement function: short inputs, no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shardgate::shardmaps::detail {

/// Incremental MD5. Used only as a fixed, well-known mixing function that SQL engines can
/// reproduce; not for security.
class Md5 {
public:
    Md5();
    void update(std::string_view bytes);
    /// Finishes the digest; the object must not be updated afterwards.
    std::array<std::uint8_t, 16> finish();

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 4> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t total_ = 0;
};

} // namespace shardgate::shardmaps::detail
