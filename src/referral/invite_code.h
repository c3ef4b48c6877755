// Invite codes (邀请码): eight characters that name a customer, printed on the referral page
// and carried by the invite link (/register?invite=CODE).
//
// The code is the customer id (1..kMaxInviteCustomerId, 35 bits) put through a fixed
// permutation of the 35-bit numbers, so neighbouring customers get unrelated codes, written as
// seven Crockford base32 digits (0-9 A-Z without I L O U), then one check digit: the sum of the
// seven digits weighted 1, 3, 5 .. 13, mod 32. Odd weights are units mod 32, so any one
// mistyped character is caught. Reading ignores case and takes I and L as 1 and O as 0, as
// Crockford's alphabet does. No state: the engine maps codes and ids both ways by computation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qb::referral {

inline constexpr size_t kInviteCodeChars = 8;
inline constexpr uint64_t kMaxInviteCustomerId = (uint64_t{1} << 35) - 1;

// Requires 1 <= customer_id <= kMaxInviteCustomerId.
std::string InviteCode(uint64_t customer_id);

// The customer id a code names; nullopt when it is not eight valid characters with the right
// check digit, or names id 0. Whether that customer exists is the caller's question.
std::optional<uint64_t> ParseInviteCode(std::string_view code);

}  // namespace qb::referral
