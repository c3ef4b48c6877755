// Time-based one-time passwords for authenticator apps: RFC 6238 TOTP over RFC 4226 HOTP with
// HMAC-SHA-1, 30-second steps and 6 digits, the parameters every authenticator app supports.
//
//   step  := floor(now_unix_s / 30)
//   value := HOTP(secret, step) = DynamicTruncate(HMAC-SHA-1(secret, step as 8 bytes big-endian))
//   code  := value mod 10^6, zero-padded to 6 ASCII digits
//
// A code is accepted for the current step and one step either side (clock drift, typing time),
// and at most once: the caller remembers the last step it accepted for the account and passes
// it back, and MatchTotp refuses that step and every earlier one (RFC 6238 section 5.2). So an
// observed code cannot be replayed, not even within its own 30 seconds.
//
// Attempt limits and lockout belong to the caller; a 6-digit code needs them.
//
// Thread-safety: every function is pure and thread-safe. MatchTotp's result depends only on its
// arguments, so the engine's single writer can replay it from the journal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qb::mfa {

inline constexpr size_t kTotpSecretBytes = 20;     // 160 bits, RFC 4226 section 4's recommendation
inline constexpr size_t kTotpMinSecretBytes = 16;  // 128 bits, RFC 4226 section 4's minimum
inline constexpr size_t kTotpDigits = 6;
inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr int64_t kTotpWindowSteps = 1;
// last_used_step for an account that has never used a code: every real step is >= 0.
inline constexpr int64_t kTotpNoStepUsed = -1;

// kTotpSecretBytes from the operating system's CSPRNG (libsodium randombytes_buf). Raw bytes:
// show them to the user once, as base32 in an otpauth URI, and keep them encrypted at rest.
// Never log them.
std::string GenerateTotpSecret();

// RFC 4226 HOTP before the decimal reduction: the 31-bit dynamically truncated HMAC-SHA-1 of
// the counter. `secret` is at least kTotpMinSecretBytes (asserted; the RFC test vectors use 20).
uint32_t HotpSha1(std::string_view secret, uint64_t counter);

// The step containing now_unix_s (>= 0, asserted).
int64_t TotpStep(int64_t now_unix_s);

// The 6-digit code for `step` (>= 0, asserted), zero-padded.
std::string TotpCode(std::string_view secret, int64_t step);

// Checks `code` against the steps within kTotpWindowSteps of now_unix_s that are later than
// last_used_step (kTotpNoStepUsed if none). Returns the matched step, which the caller must
// store as the new last_used_step before acting on the success; nullopt for a wrong code, a
// code that is not exactly 6 ASCII digits, or a code of an already used step. The codes are
// compared in constant time.
std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now_unix_s,
                                 int64_t last_used_step);

}  // namespace qb::mfa
