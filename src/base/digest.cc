#include "base/digest.h"

#include <sodium.h>
#include <zlib.h>

#include <cstring>

#include "base/assert.h"

namespace qb {

static_assert(sizeof(crypto_generichash_state) <= 384, "Hasher::state_ too small");

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes a uInt length; feed very large inputs in pieces.
  while (!bytes.empty()) {
    size_t n = bytes.size() > (1u << 30) ? (1u << 30) : bytes.size();
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes.remove_prefix(n);
  }
  return static_cast<uint32_t>(crc);
}

Hasher::Hasher() {
  QB_ASSERT(sodium_init() >= 0);
  auto* state = reinterpret_cast<crypto_generichash_state*>(state_);
  QB_ASSERT(crypto_generichash_init(state, nullptr, 0, 32) == 0);
}

void Hasher::Update(std::string_view bytes) {
  auto* state = reinterpret_cast<crypto_generichash_state*>(state_);
  crypto_generichash_update(state, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

void Hasher::Update(const Digest& digest) {
  Update(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

void Hasher::UpdateU64(uint64_t value) {
  char buffer[8];
  std::memcpy(buffer, &value, 8);
  Update(std::string_view(buffer, 8));
}

Digest Hasher::Finish() {
  Digest digest;
  auto* state = reinterpret_cast<crypto_generichash_state*>(state_);
  crypto_generichash_final(state, digest.data(), digest.size());
  return digest;
}

Digest HashBytes(std::string_view bytes) {
  Hasher hasher;
  hasher.Update(bytes);
  return hasher.Finish();
}

std::string DigestHex(const Digest& digest) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace qb
