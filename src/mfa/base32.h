// RFC 4648 section 6 base32, the encoding authenticator apps expect for TOTP secrets.
//
//   encoded := group* tail?          each group encodes 5 bytes as 8 characters
//   alphabet:  A-Z then 2-7          (values 0..25, 26..31)
//   tail:      1, 2, 3 or 4 bytes as 2, 4, 5 or 7 characters, optionally padded with '=' to 8
//
// Thread-safety: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qb::mfa {

// Upper case, no '=' padding: otpauth URIs leave the padding out.
std::string Base32Encode(std::string_view bytes);

// Accepts upper or lower case, with the padding either absent or complete (a multiple of 8
// characters). nullopt for any other character, padding anywhere but the end, a length no
// encoding produces, or non-zero unused bits in the last character: every byte string has
// exactly one accepted spelling per case and padding choice.
std::optional<std::string> Base32Decode(std::string_view text);

}  // namespace qb::mfa
