// The default random source: OpenSSL's RAND_bytes.
#include "shardgate/protocol/pg/random_source.hpp"

#include <climits>
#include <openssl/rand.h>

namespace shardgate::protocol::pg {

RandomSource openssl_random_source() {
    return [](std::span<std::byte> out) {
        return out.size() <= INT_MAX && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                                                   static_cast<int>(out.size())) == 1;
    };
}

} // namespace shardgate::protocol::pg
