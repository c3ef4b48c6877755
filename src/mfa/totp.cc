#include "mfa/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <climits>

#include "base/assert.h"
#include "mfa/sodium_internal.h"

namespace qb::mfa {
namespace {

constexpr uint32_t kTotpModulus = 1'000'000;  // 10^kTotpDigits
constexpr size_t kSha1Bytes = 20;

}  // namespace

std::string GenerateTotpSecret() {
  internal::EnsureSodiumInitialized();
  std::string secret(kTotpSecretBytes, '\0');
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

uint32_t HotpSha1(std::string_view secret, uint64_t counter) {
  QB_ASSERT(secret.size() >= kTotpMinSecretBytes && secret.size() <= INT_MAX);
  std::array<unsigned char, 8> message{};
  for (size_t i = message.size(); i-- > 0; counter >>= 8) {
    message[i] = static_cast<unsigned char>(counter & 0xff);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  // HMAC() fails only when libcrypto cannot run SHA-1 at all (e.g. a FIPS-only provider
  // configuration): no code could ever be checked, so that is a deployment error, not input.
  unsigned char* result = HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
                               message.data(), message.size(), mac.data(), &mac_size);
  QB_ASSERT(result != nullptr && mac_size == kSha1Bytes);
  size_t offset = mac[kSha1Bytes - 1] & 0x0f;
  uint32_t value = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                   (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                   (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                   static_cast<uint32_t>(mac[offset + 3]);
  OPENSSL_cleanse(mac.data(), mac.size());
  return value;
}

int64_t TotpStep(int64_t now_unix_s) {
  QB_ASSERT(now_unix_s >= 0);
  return now_unix_s / kTotpStepSeconds;
}

std::string TotpCode(std::string_view secret, int64_t step) {
  QB_ASSERT(step >= 0);
  uint32_t value = HotpSha1(secret, static_cast<uint64_t>(step)) % kTotpModulus;
  std::string code(kTotpDigits, '0');
  for (size_t i = kTotpDigits; i-- > 0; value /= 10) code[i] = static_cast<char>('0' + value % 10);
  return code;
}

std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now_unix_s,
                                 int64_t last_used_step) {
  QB_ASSERT(last_used_step >= kTotpNoStepUsed);
  if (code.size() != kTotpDigits || !internal::AllAsciiDigits(code)) return std::nullopt;
  const int64_t current = TotpStep(now_unix_s);
  // Every candidate is checked, without stopping at the first match, so the time taken does
  // not tell which step matched. When two steps share a code (one chance in 10^6), the latest
  // wins: taking an earlier one would leave the later step open for the same code again.
  std::optional<int64_t> matched;
  for (int64_t step = current - kTotpWindowSteps; step <= current + kTotpWindowSteps; ++step) {
    if (step < 0 || step <= last_used_step) continue;
    std::string expected = TotpCode(secret, step);
    if (internal::ConstantTimeEquals(expected, code)) matched = step;
    sodium_memzero(expected.data(), expected.size());
  }
  return matched;
}

}  // namespace qb::mfa
