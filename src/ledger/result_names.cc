#include <array>
#include <string>

#include "ledger/types.h"

namespace qb::ledger {
namespace {

// "kExceedsCredits" -> "exceeds_credits".
std::string SnakeCase(std::string_view enumerator) {
  std::string out;
  for (size_t i = 1; i < enumerator.size(); i++) {
    const char c = enumerator[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 1) out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

#define QB_NAME_ENTRY(name, value) SnakeCase(#name),

const std::array kAccountResultNames = {QB_CREATE_ACCOUNT_RESULTS(QB_NAME_ENTRY)};
const std::array kTransferResultNames = {QB_CREATE_TRANSFER_RESULTS(QB_NAME_ENTRY)};

#undef QB_NAME_ENTRY

}  // namespace

std::string_view ResultName(CreateAccountResult result) {
  // Not a conditional expression: mixing std::string and "unknown" would make the view point
  // into a temporary std::string.
  const auto index = static_cast<size_t>(result);
  if (index >= kAccountResultNames.size()) return "unknown";
  return kAccountResultNames[index];
}

std::string_view ResultName(CreateTransferResult result) {
  const auto index = static_cast<size_t>(result);
  if (index >= kTransferResultNames.size()) return "unknown";
  return kTransferResultNames[index];
}

}  // namespace qb::ledger
