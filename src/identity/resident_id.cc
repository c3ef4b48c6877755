#include "identity/resident_id.h"

#include <array>

#include "base/assert.h"
#include "identity/sodium_internal.h"

namespace qb::identity {
namespace {

constexpr size_t kResidentIdLength = 18;

// Province-level codes from GB/T 2260 plus 71 (Taiwan), 81/82 (Hong Kong, Macao) and 91
// (overseas), which appear on mainland-issued numbers.
bool IsProvinceCode(int32_t code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 91;
}

int32_t ParseDigits(std::string_view digits) {
  int32_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

char ResidentIdCheckCharacter(std::string_view first17) {
  QB_ASSERT(first17.size() == 17 && internal::AllAsciiDigits(first17));
  static constexpr std::array<int32_t, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                       3, 7, 9,  10, 5, 8, 4, 2};
  // Index is the weighted sum mod 11; the check character makes the full sum ≡ 1 (mod 11).
  static constexpr char kCheckCharacters[11] = {'1', '0', 'X', '9', '8', '7',
                                                '6', '5', '4', '3', '2'};
  int32_t sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[sum % 11];
}

ResidentIdError ParseResidentId(std::string_view id, const CalendarDate& today,
                                ResidentIdInfo* info) {
  if (id.size() != kResidentIdLength) return ResidentIdError::kWrongLength;
  std::string_view first17 = id.substr(0, 17);
  if (!internal::AllAsciiDigits(first17)) return ResidentIdError::kBadCharacter;
  char check = id[17] == 'x' ? 'X' : id[17];
  if (!internal::IsAsciiDigit(check) && check != 'X') return ResidentIdError::kBadCharacter;
  if (ResidentIdCheckCharacter(first17) != check) return ResidentIdError::kBadChecksum;
  if (!IsProvinceCode(ParseDigits(id.substr(0, 2)))) return ResidentIdError::kBadProvince;
  CalendarDate birth{ParseDigits(id.substr(6, 4)), ParseDigits(id.substr(10, 2)),
                     ParseDigits(id.substr(12, 2))};
  if (!IsValidCalendarDate(birth)) return ResidentIdError::kBadBirthDate;
  if (birth > today) return ResidentIdError::kBirthDateInFuture;

  info->normalized = std::string(first17) + check;
  info->region_code = std::string(id.substr(0, 6));
  info->birth_date = birth;
  info->sex = (id[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  return ResidentIdError::kOk;
}

std::string MaskResidentId(std::string_view id) {
  if (id.size() != kResidentIdLength) return std::string(id.size(), '*');
  return std::string(id.substr(0, 3)) + std::string(11, '*') + std::string(id.substr(14));
}

}  // namespace qb::identity
