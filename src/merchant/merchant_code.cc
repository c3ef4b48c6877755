#include "merchant/merchant_code.h"

#include <array>
#include <string>

#include "base/assert.h"

namespace qb::merchant {
namespace {

// The credit code alphabet in value order: a character's index is its value in the MOD 31 sum.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static_assert(kAlphabet.size() == 31);

int32_t AlphabetValue(char c) {
  size_t index = kAlphabet.find(c);
  return index == std::string_view::npos ? -1 : static_cast<int32_t>(index);
}

char ToUpperAscii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// The organisation type codes each registration authority may assign, from GB 32100-2015 and
// the authority codes added since (justice, culture, tourism, religion, unions, the military
// and agriculture). An authority that is not listed is not assigned.
std::string_view TypesForAuthority(char authority) {
  switch (authority) {
    case '1':  // 机构编制: organs, public institutions, mass organisations, other
      return "1239";
    case '2':  // 外交: resident foreign news agencies, other
      return "19";
    case '3':  // 司法行政: law firms, notaries, legal services, forensic bodies, arbitration
      return "123459";
    case '4':  // 文化: foreign cultural centres, other
      return "19";
    case '5':  // 民政: social organisations, private non-enterprise units, foundations, other
      return "1239";
    case '6':  // 旅游: foreign and Hong Kong/Macao/Taiwan tourism offices, other
      return "129";
    case '7':  // 宗教: places of worship, religious schools, other
      return "129";
    case '8':  // 工会: grassroots trade unions, other
      return "19";
    case '9':  // 工商 / market regulation: enterprises, individual businesses, cooperatives
      return "123";
    case 'A':  // 中央军委改革和编制办公室: military public institutions, other
      return "19";
    case 'N':  // 农业: group-, village- and township-level collective economic organisations
      return "1239";
    case 'Y':  // 其他
      return "1";
    default:
      return "";
  }
}

// GB 11714 values: digits are themselves, letters A-Z are 10-35 (the full Latin alphabet, not
// the credit code's reduced one).
int32_t OrganisationCharacterValue(char c) { return IsAsciiDigit(c) ? c - '0' : c - 'A' + 10; }

}  // namespace

std::string_view CreditCodeErrorName(CreditCodeError error) {
  switch (error) {
    case CreditCodeError::kOk:
      return "ok";
    case CreditCodeError::kWrongLength:
      return "wrong_length";
    case CreditCodeError::kBadCharacter:
      return "bad_character";
    case CreditCodeError::kBadRegistrationAuthority:
      return "bad_registration_authority";
    case CreditCodeError::kBadOrganisationType:
      return "bad_organisation_type";
    case CreditCodeError::kDivisionNotDigits:
      return "division_not_digits";
    case CreditCodeError::kBadOrganisationCheck:
      return "bad_organisation_check";
    case CreditCodeError::kBadFinalCheck:
      return "bad_final_check";
  }
  return "unknown";
}

char OrganisationCodeCheckCharacter(std::string_view body8) {
  QB_ASSERT(body8.size() == 8);
  static constexpr std::array<int32_t, 8> kWeights = {3, 7, 9, 10, 5, 8, 4, 2};
  int32_t sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    char c = body8[i];
    QB_ASSERT(IsAsciiDigit(c) || (c >= 'A' && c <= 'Z'));
    sum += OrganisationCharacterValue(c) * kWeights[i];
  }
  int32_t check = 11 - sum % 11;
  if (check == 11) return '0';
  if (check == 10) return 'X';
  return static_cast<char>('0' + check);
}

char CreditCodeCheckCharacter(std::string_view first17) {
  QB_ASSERT(first17.size() == 17);
  static constexpr std::array<int32_t, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                       29, 25, 13, 8,  24, 10, 30, 28};
  int32_t sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    int32_t value = AlphabetValue(first17[i]);
    QB_ASSERT(value >= 0);
    sum += value * kWeights[i];
  }
  // The check value makes the weighted sum of all 18 characters ≡ 0 (mod 31).
  return kAlphabet[(31 - sum % 31) % 31];
}

CreditCodeError ParseCreditCode(std::string_view code, CreditCode* parsed) {
  if (code.size() != kCreditCodeLength) return CreditCodeError::kWrongLength;
  std::string normalized(code);
  for (char& c : normalized) {
    c = ToUpperAscii(c);
    if (AlphabetValue(c) < 0) return CreditCodeError::kBadCharacter;
  }
  std::string_view types = TypesForAuthority(normalized[0]);
  if (types.empty()) return CreditCodeError::kBadRegistrationAuthority;
  if (types.find(normalized[1]) == std::string_view::npos) {
    return CreditCodeError::kBadOrganisationType;
  }
  std::string_view view = normalized;
  for (char c : view.substr(2, 6)) {
    if (!IsAsciiDigit(c)) return CreditCodeError::kDivisionNotDigits;
  }
  if (OrganisationCodeCheckCharacter(view.substr(8, 8)) != normalized[16]) {
    return CreditCodeError::kBadOrganisationCheck;
  }
  if (CreditCodeCheckCharacter(view.substr(0, 17)) != normalized[17]) {
    return CreditCodeError::kBadFinalCheck;
  }
  parsed->registration_authority = normalized[0];
  parsed->organisation_type = normalized[1];
  parsed->division_code = std::string(view.substr(2, 6));
  parsed->organisation_code = std::string(view.substr(8, 9));
  parsed->normalized = std::move(normalized);
  return CreditCodeError::kOk;
}

uint32_t RegionOfCreditCode(std::string_view code) {
  if (code.size() != kCreditCodeLength) return 0;
  uint32_t region = 0;
  for (const char c : code.substr(2, 6)) {
    if (c < '0' || c > '9') return 0;
    region = region * 10 + static_cast<uint32_t>(c - '0');
  }
  return region;
}

}  // namespace qb::merchant
