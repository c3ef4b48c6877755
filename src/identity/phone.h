// Mainland China mobile numbers. Everything downstream (OTP rate limits, uniqueness, login)
// keys on the normalised 11-digit form, so normalise once at the edge.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qb::identity {

// Accepts "13812345678", "+86 138-1234-5678", "86 13812345678", "0086..." and returns the
// 11 digits; nullopt unless the result is 1[3-9] followed by nine digits. Input longer than
// 32 bytes is rejected before any work.
std::optional<std::string> NormalizePhone(std::string_view input);

// "138****5678". Expects a normalised number; anything else is masked completely.
std::string MaskPhone(std::string_view normalized);

}  // namespace qb::identity
