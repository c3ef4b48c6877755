#include "identity/otp.h"

#include "base/assert.h"
#include "base/bytes.h"
#include "base/digest.h"
#include "identity/sodium_internal.h"

namespace qb::identity {

std::string GenerateOtpCode() {
  internal::EnsureSodiumInitialized();
  std::string code(kOtpDigits, '0');
  for (char& digit : code) digit = static_cast<char>('0' + randombytes_uniform(10));
  return code;
}

std::string HashOtp(std::string_view code, std::string_view phone, const SecretKey& pepper) {
  QB_ASSERT(!pepper.empty());
  internal::EnsureSodiumInitialized();
  // Length prefixes keep (phone, code) pairs unambiguous whatever their contents.
  std::string input;
  ByteWriter writer(&input);
  writer.LengthPrefixed(phone);
  writer.LengthPrefixed(code);
  unsigned char hash[32];
  crypto_generichash(hash, sizeof(hash), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), pepper.data(), SecretKey::kSize);
  return internal::ToHex(hash, sizeof(hash));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string GenerateSessionToken() {
  internal::EnsureSodiumInitialized();
  unsigned char bytes[kSessionTokenBytes];
  randombytes_buf(bytes, sizeof(bytes));
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string token(sodium_base64_ENCODED_LEN(sizeof(bytes), kVariant), '\0');
  sodium_bin2base64(token.data(), token.size(), bytes, sizeof(bytes), kVariant);
  sodium_memzero(bytes, sizeof(bytes));
  token.resize(kSessionTokenChars);  // drop the NUL terminator the encoder writes
  return token;
}

std::string HashSessionToken(std::string_view token) { return DigestHex(HashBytes(token)); }

}  // namespace qb::identity
