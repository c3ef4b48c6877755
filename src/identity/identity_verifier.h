// Real-name verification: does this name belong to this resident ID number? In production the
// answer comes from the public-security citizen database through a bank's KYC vendor; that
// provider plugs in behind IdentityVerifier later. LocalIdentityVerifier stands in for it
// during development and in tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "identity/calendar_date.h"

namespace qb::identity {

// What the provider says. Malformed input gets the answer a real registry would give: an ID
// number that fails its checksum is kIdNotFound, an impossible name is kNameMismatch. Callers
// should still validate (ParseResidentId, IsPlausibleRealName) first to give a precise error.
enum class VerificationResult : uint8_t {
  kVerified,
  kNameMismatch,  // the ID exists, the name is not its holder's
  kIdNotFound,
  kUnavailable,  // the provider could not answer; retry later, do not treat as a refusal
};

std::string_view VerificationResultName(VerificationResult result);

class IdentityVerifier {
 public:
  virtual ~IdentityVerifier() = default;
  // Thread-safe. May block on the network in real implementations.
  virtual VerificationResult Verify(const std::string& real_name,
                                    const std::string& resident_id) = 0;
};

inline constexpr size_t kRealNameMinChars = 2;
inline constexpr size_t kRealNameMaxChars = 20;

// 2-20 characters of well-formed UTF-8, each a CJK ideograph (U+3400-U+4DBF, U+4E00-U+9FFF,
// U+20000-U+2A6DF), a Latin letter, a space or the middle dot '·' (U+00B7, as in minority and
// transliterated names such as "阿依古丽·买买提"). Separators may not start or end the name or
// follow one another.
bool IsPlausibleRealName(std::string_view name);

// The name as lists and other people see it: "张*", "阿依古丽·***" — the first character, then
// one star per further character (a stray byte of malformed UTF-8 counts as a character).
std::string MaskRealName(std::string_view name);

struct LocalIdentityVerifierOptions {
  CalendarDate today;  // for the "born in the future" check; the verifier never reads a clock
  // Names answered with kIdNotFound, exactly as written.
  std::vector<std::string> not_found_names;
};

// DEVELOPMENT STAND-IN, not a verification: it checks only that the input is well-formed.
// A well-formed pair is kVerified, except that a name in `not_found_names` or containing
// "不存在" gives kIdNotFound, one containing "不匹配" gives kNameMismatch and one containing
// "不可用" gives kUnavailable, so that callers' handling of every answer can be exercised.
// Immutable after construction, hence thread-safe.
class LocalIdentityVerifier final : public IdentityVerifier {
 public:
  explicit LocalIdentityVerifier(LocalIdentityVerifierOptions options)
      : options_(std::move(options)) {}

  VerificationResult Verify(const std::string& real_name, const std::string& resident_id) override;

  // As Verify, against an explicit date instead of the one given at construction.
  VerificationResult VerifyOn(std::string_view real_name, std::string_view resident_id,
                              const CalendarDate& today) const;

 private:
  const LocalIdentityVerifierOptions options_;
};

}  // namespace qb::identity
