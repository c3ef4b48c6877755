// Checksums and cryptographic digests used by the journal and the state hash.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace qb {

using Digest = std::array<uint8_t, 32>;

// CRC-32 (zlib polynomial) over bytes: catches torn and corrupted records.
uint32_t Crc32(std::string_view bytes);

// BLAKE2b-256 (libsodium). Incremental, for hashing large states without copying them.
class Hasher {
 public:
  Hasher();
  void Update(std::string_view bytes);
  void Update(const Digest& digest);
  void UpdateU64(uint64_t value);
  Digest Finish();

 private:
  alignas(64) unsigned char state_[384];
};

Digest HashBytes(std::string_view bytes);
std::string DigestHex(const Digest& digest);

}  // namespace qb
