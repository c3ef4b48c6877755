// The otpauth:// URI an authenticator app reads from a QR code to enrol a TOTP secret (the
// "Key Uri Format" first published with Google Authenticator, which every app follows):
//
//   otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1&digits=6
//       &period=30
//
// issuer and account are percent-encoded as UTF-8 bytes: everything but the RFC 3986 unreserved
// characters (A-Z a-z 0-9 - . _ ~) becomes %XX with upper-case hex, so "钱包 Bank" becomes
// "%E9%92%B1%E5%8C%85%20Bank". The secret is unpadded upper-case base32.
//
// Thread-safety: pure function, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace qb::mfa {

inline constexpr size_t kMaxOtpauthLabelPartBytes = 128;

// nullopt when issuer or account is empty, longer than kMaxOtpauthLabelPartBytes, not
// well-formed UTF-8, contains a control character, or contains ':' (the label's separator,
// which the format forbids inside either part, even encoded). `secret` is the raw secret bytes
// (at least kTotpMinSecretBytes, asserted). The URI carries the secret: never log it.
std::optional<std::string> MakeTotpUri(std::string_view issuer, std::string_view account,
                                       std::string_view secret);

// RFC 3986 percent-encoding of every byte outside the unreserved set. Exposed for tests.
std::string PercentEncode(std::string_view bytes);

}  // namespace qb::mfa
