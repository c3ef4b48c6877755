// Recovery codes: the way back in when the authenticator app is lost. Each code is 10
// characters from an alphabet without look-alikes, shown as "XXXXX-XXXXX", usable once.
//
// The server keeps only keyed hashes: BLAKE2b-256 (libsodium crypto_generichash) keyed with a
// server pepper that lives outside the database, over the normalised code (10 upper-case
// characters). A stolen table of hashes then reveals no code and cannot be brute-forced
// without the pepper. The codes themselves are shown to the customer once and never stored
// or logged.
//
// Single use is the caller's job: on a match it removes (or empties) the matched hash before
// acting on the success. Attempt limits and lockout are the caller's too.
//
// Thread-safety: pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "identity/secret_key.h"

namespace qb::mfa {

// 31 symbols: 2-9 and A-Z without I, L and O (and with no 0 or 1), so nothing reads as another.
inline constexpr std::string_view kRecoveryCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr size_t kRecoveryCodeSymbols = 10;       // 31^10, about 49.5 bits
inline constexpr size_t kRecoveryCodeDisplayChars = 11;  // with the dash in the middle
inline constexpr size_t kRecoveryCodeHashHexChars = 64;
inline constexpr size_t kDefaultRecoveryCodeCount = 10;
inline constexpr size_t kMaxRecoveryCodeCount = 20;

struct RecoveryCodes {
  std::vector<std::string> codes;   // "XXXXX-XXXXX", to show once
  std::vector<std::string> hashes;  // hashes[i] hashes codes[i] (normalised), to store
};

// `count` codes (1..kMaxRecoveryCodeCount, asserted), each symbol drawn uniformly from the
// operating system's CSPRNG (randombytes_uniform, no modulo bias). The pepper must not be
// empty (asserted).
RecoveryCodes GenerateRecoveryCodes(const identity::SecretKey& pepper,
                                    size_t count = kDefaultRecoveryCodeCount);

// The 10 upper-case symbols of a typed code: case folded, ASCII spaces, tabs and dashes
// dropped. nullopt unless exactly kRecoveryCodeSymbols alphabet symbols remain.
std::optional<std::string> NormalizeRecoveryCode(std::string_view typed);

// kRecoveryCodeHashHexChars lower-case hex. `normalized` comes from NormalizeRecoveryCode
// (asserted), so every way of typing a code hashes alike.
std::string HashRecoveryCode(std::string_view normalized, const identity::SecretKey& pepper);

// The index in `hashes` of the hash the typed code matches, or nullopt. Every hash is compared
// in constant time, without stopping at a match. Empty entries (spent codes) never match.
std::optional<size_t> MatchRecoveryCode(std::string_view typed, std::span<const std::string> hashes,
                                        const identity::SecretKey& pepper);

}  // namespace qb::mfa
