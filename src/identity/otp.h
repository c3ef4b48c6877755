// SMS one-time codes and session tokens. Both are stored only as hashes, so a leaked table
// neither logs anyone in nor reveals a code. Expiry, single use and attempt limits belong to
// the caller; this file only makes and hashes the secrets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "identity/secret_key.h"

namespace qb::identity {

inline constexpr size_t kOtpDigits = 6;
inline constexpr size_t kSessionTokenBytes = 32;
inline constexpr size_t kSessionTokenChars = 43;  // base64url of 32 bytes, no padding

// Six decimal digits, each drawn uniformly (randombytes_uniform, no modulo bias).
std::string GenerateOtpCode();

// 64 hex characters: BLAKE2b-256 keyed with `pepper` over (phone, code). The pepper lives
// outside the database, so 10^6 possible codes cannot be brute-forced from a stolen hash, and
// the phone in the input makes equal codes for different phones hash differently.
std::string HashOtp(std::string_view code, std::string_view phone, const SecretKey& pepper);

// Compares two equal-length secrets (e.g. hashes) in time independent of their contents.
// Different lengths return false at once: lengths here are public (fixed-size hashes).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// 256 random bits, base64url without padding (kSessionTokenChars characters). Give it to the
// client once; store only HashSessionToken(token).
std::string GenerateSessionToken();

// 64 hex characters: unkeyed BLAKE2b-256. A key adds nothing here: the token already has
// 256 bits of entropy, so the hash cannot be inverted by guessing.
std::string HashSessionToken(std::string_view token);

}  // namespace qb::identity
