#include "identity/secret_key.h"

#include <cstring>
#include <utility>

#include "identity/sodium_internal.h"

namespace qb::identity {

template <typename Fill>
SecretKey SecretKey::Make(Fill fill) {
  internal::EnsureSodiumInitialized();
  SecretKey key;
  key.bytes_ = static_cast<unsigned char*>(sodium_malloc(kSize));
  QB_ASSERT(key.bytes_ != nullptr);
  fill(key.bytes_);
  sodium_mprotect_readonly(key.bytes_);
  return key;
}

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(std::exchange(other.bytes_, nullptr)) {}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    if (bytes_ != nullptr) sodium_free(bytes_);
    bytes_ = std::exchange(other.bytes_, nullptr);
  }
  return *this;
}

// sodium_free restores write access and zeroes the bytes before unmapping them.
SecretKey::~SecretKey() {
  if (bytes_ != nullptr) sodium_free(bytes_);
}

std::optional<SecretKey> SecretKey::FromHex(std::string_view hex) {
  if (hex.size() != kSize * 2) return std::nullopt;
  bool ok = false;
  SecretKey key = Make([&](unsigned char* out) {
    size_t decoded = 0;
    ok = sodium_hex2bin(out, kSize, hex.data(), hex.size(), nullptr, &decoded, nullptr) == 0 &&
         decoded == kSize;
  });
  if (!ok) return std::nullopt;
  return key;
}

std::optional<SecretKey> SecretKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize) return std::nullopt;
  return Make([&](unsigned char* out) { std::memcpy(out, bytes.data(), kSize); });
}

SecretKey SecretKey::Random() {
  return Make([](unsigned char* out) { randombytes_buf(out, kSize); });
}

SecretKey SecretKey::Clone() const {
  QB_ASSERT(bytes_ != nullptr);
  return Make([&](unsigned char* out) { std::memcpy(out, bytes_, kSize); });
}

}  // namespace qb::identity
