// A 32-byte secret (data key, lookup key, OTP pepper) held outside the ordinary heap:
// sodium_malloc places it between guard pages, locks it out of swap where the OS allows, and
// sodium_free zeroes it. The bytes are read-only after construction. There is deliberately no
// operator<<, no hex export and no implicit copy, so a key cannot reach a log by accident.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace qb::identity {

class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  // An empty key (also the state after a move); empty() is true and data() is null.
  SecretKey() = default;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();

  // Exactly 64 hex digits; nullopt otherwise.
  static std::optional<SecretKey> FromHex(std::string_view hex);
  // Exactly kSize raw bytes (e.g. read from a binary key file); nullopt otherwise.
  static std::optional<SecretKey> FromBytes(std::string_view bytes);
  // Fresh key from the operating system's CSPRNG.
  static SecretKey Random();

  // An explicit copy, for the rare owner that must hand a key on and keep it.
  SecretKey Clone() const;

  bool empty() const { return bytes_ == nullptr; }
  const unsigned char* data() const { return bytes_; }

 private:
  // Allocates guarded memory, lets `fill` write the key, then makes it read-only.
  template <typename Fill>
  static SecretKey Make(Fill fill);

  unsigned char* bytes_ = nullptr;
};

}  // namespace qb::identity
