// Unified social credit codes (统一社会信用代码), GB 32100-2015. The 18 characters are, from the
// left:
//
//   position 1      registration authority code (登记管理部门代码), e.g. '9' market regulation
//   position 2      organisation type code (机构类别代码), meaning depends on position 1
//   positions 3-8   administrative division code (登记管理机关行政区划码), six digits, GB/T 2260
//   positions 9-17  organisation code (主体标识码), GB 11714: eight body characters and a
//                   MOD 11 check character ('0'-'9' or 'X')
//   position 18     check character, MOD 31 over the first 17
//
// Every character comes from the 31-character alphabet 0-9 A-H J-N P-R T-U W-Y: I, O, Z, S and
// V are never used because they are easily confused with 1, 0, 2, 5 and U.
//
// Every function here is pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qb::merchant {

inline constexpr size_t kCreditCodeLength = 18;

struct CreditCode {
  std::string normalized;           // 18 characters, upper case
  char registration_authority = 0;  // position 1
  char organisation_type = 0;       // position 2
  std::string division_code;        // positions 3-8
  std::string organisation_code;    // positions 9-17, check character included
};

// Ordered by precedence: the first failing check is reported.
enum class CreditCodeError : uint8_t {
  kOk = 0,
  kWrongLength,               // not exactly 18 characters
  kBadCharacter,              // a character outside the 31-character alphabet
  kBadRegistrationAuthority,  // position 1 is not an assigned authority code
  kBadOrganisationType,       // position 2 is not a type assigned to that authority
  kDivisionNotDigits,         // positions 3-8 are not all digits
  kBadOrganisationCheck,      // the GB 11714 check character (position 17) does not match
  kBadFinalCheck,             // the MOD 31 check character (position 18) does not match
};

// A stable lower_snake_case name for logs and API error details, e.g. "bad_final_check".
std::string_view CreditCodeErrorName(CreditCodeError error);

// Validates `code` (lower case letters are accepted and upper-cased) and, on kOk, fills
// `*parsed`. `*parsed` is left untouched on any error.
CreditCodeError ParseCreditCode(std::string_view code, CreditCode* parsed);

// The MOD 31 check character for the first 17 characters. Precondition: `first17` is 17
// characters of the upper-case alphabet.
char CreditCodeCheckCharacter(std::string_view first17);

// The region a merchant was registered in: positions 3-8 of its credit code, the GB/T 2260
// administrative division (e.g. 350102 for Gulou district, Fuzhou), as a number. 0 when `code`
// is not 18 characters or those six are not all digits. Campaigns target regions by it
// (marketing/pricing.cc): one for 350000 (Fujian) or 350100 (Fuzhou) applies in 350102.
uint32_t RegionOfCreditCode(std::string_view code);

// The GB 11714 check character ('0'-'9' or 'X') for an organisation code's 8 body characters.
// Precondition: `body8` is 8 characters from 0-9 and A-Z (upper case).
char OrganisationCodeCheckCharacter(std::string_view body8);

}  // namespace qb::merchant
