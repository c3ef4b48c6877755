#include "mfa/recovery_codes.h"

#include "base/assert.h"
#include "mfa/sodium_internal.h"

namespace qb::mfa {
namespace {

constexpr size_t kHashBytes = 32;
// Typed input beyond this is refused before any work: a real code with generous spacing fits.
constexpr size_t kMaxTypedChars = 64;

static_assert(kRecoveryCodeAlphabet.size() == 31);

bool IsAlphabetSymbol(char c) { return kRecoveryCodeAlphabet.find(c) != std::string_view::npos; }

char ToUpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string HexOf(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();  // the encoder's NUL terminator
  return hex;
}

}  // namespace

RecoveryCodes GenerateRecoveryCodes(const identity::SecretKey& pepper, size_t count) {
  QB_ASSERT(count >= 1 && count <= kMaxRecoveryCodeCount);
  QB_ASSERT(!pepper.empty());
  internal::EnsureSodiumInitialized();
  constexpr size_t kHalf = kRecoveryCodeSymbols / 2;
  RecoveryCodes result;
  result.codes.reserve(count);
  result.hashes.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::string symbols(kRecoveryCodeSymbols, '\0');
    for (char& c : symbols) {
      c = kRecoveryCodeAlphabet[randombytes_uniform(
          static_cast<uint32_t>(kRecoveryCodeAlphabet.size()))];
    }
    result.hashes.push_back(HashRecoveryCode(symbols, pepper));
    result.codes.push_back(symbols.substr(0, kHalf) + "-" + symbols.substr(kHalf));
    sodium_memzero(symbols.data(), symbols.size());
  }
  return result;
}

std::optional<std::string> NormalizeRecoveryCode(std::string_view typed) {
  if (typed.size() > kMaxTypedChars) return std::nullopt;
  std::string normalized;
  normalized.reserve(kRecoveryCodeSymbols);
  for (char c : typed) {
    if (c == ' ' || c == '\t' || c == '-') continue;
    char upper = ToUpperAscii(c);
    if (!IsAlphabetSymbol(upper) || normalized.size() == kRecoveryCodeSymbols) return std::nullopt;
    normalized.push_back(upper);
  }
  if (normalized.size() != kRecoveryCodeSymbols) return std::nullopt;
  return normalized;
}

std::string HashRecoveryCode(std::string_view normalized, const identity::SecretKey& pepper) {
  QB_ASSERT(!pepper.empty());
  QB_ASSERT(normalized.size() == kRecoveryCodeSymbols);
  for (char c : normalized) QB_ASSERT(IsAlphabetSymbol(c));
  internal::EnsureSodiumInitialized();
  unsigned char hash[kHashBytes];
  crypto_generichash(hash, sizeof(hash), reinterpret_cast<const unsigned char*>(normalized.data()),
                     normalized.size(), pepper.data(), identity::SecretKey::kSize);
  return HexOf(hash, sizeof(hash));
}

std::optional<size_t> MatchRecoveryCode(std::string_view typed, std::span<const std::string> hashes,
                                        const identity::SecretKey& pepper) {
  std::optional<std::string> normalized = NormalizeRecoveryCode(typed);
  if (!normalized) return std::nullopt;
  const std::string hash = HashRecoveryCode(*normalized, pepper);
  sodium_memzero(normalized->data(), normalized->size());
  std::optional<size_t> matched;
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (internal::ConstantTimeEquals(hash, hashes[i]) && !matched) matched = i;
  }
  return matched;
}

}  // namespace qb::mfa
