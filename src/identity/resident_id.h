// PRC resident identity numbers (居民身份证号码), GB 11643-1999: six-digit region code, eight-digit
// birth date YYYYMMDD, three-digit sequence (odd = male) and an ISO 7064 MOD 11-2 check character.
// Parsing is pure; the caller supplies today's date so that "born in the future" is testable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "identity/calendar_date.h"

namespace qb::identity {

enum class Sex : uint8_t { kFemale, kMale };

struct ResidentIdInfo {
  std::string normalized;   // 18 characters; a lowercase check 'x' becomes 'X'
  std::string region_code;  // first six digits
  CalendarDate birth_date;
  Sex sex = Sex::kFemale;
};

// Ordered by precedence: the first failing check is reported.
enum class ResidentIdError : uint8_t {
  kOk = 0,
  kWrongLength,        // not exactly 18 characters
  kBadCharacter,       // first 17 not digits, or check character not 0-9/X
  kBadChecksum,        // MOD 11-2 check character does not match
  kBadProvince,        // first two digits are not a province-level code
  kBadBirthDate,       // not a calendar date
  kBirthDateInFuture,  // after `today`
};

// Validates `id` and, on kOk, fills `*info`. `*info` is left untouched on any error.
ResidentIdError ParseResidentId(std::string_view id, const CalendarDate& today,
                                ResidentIdInfo* info);

// The MOD 11-2 check character ('0'-'9' or 'X') for the first 17 digits. Precondition:
// `first17` is 17 ASCII digits.
char ResidentIdCheckCharacter(std::string_view first17);

// For display and logs: first 3 and last 4 characters kept, e.g. "110***********1234". Input of
// any other length than 18 is masked completely, so a malformed value never leaks.
std::string MaskResidentId(std::string_view id);

}  // namespace qb::identity
