#include "invoice/amount_words.h"

#include <array>
#include <string_view>

#include "base/assert.h"

namespace qb::invoice {
namespace {

constexpr std::array<std::string_view, 10> kDigits = {"零", "壹", "贰", "叁", "肆",
                                                      "伍", "陆", "柒", "捌", "玖"};
// The unit of each position within a group of four, from the group's lowest digit up.
constexpr std::array<std::string_view, 4> kPlaceUnits = {"", "拾", "佰", "仟"};
constexpr int kGroupCount = 4;  // 元, 万, 亿, 万亿 groups: yuan below 10^16

// The yuan part, without 元. Precondition: 0 < yuan < 10^16.
std::string YuanInCapitals(int64_t yuan) {
  std::array<int32_t, kGroupCount * 4> digits{};  // least significant first
  for (size_t i = 0; i < digits.size(); ++i, yuan /= 10)
    digits[i] = static_cast<int32_t>(yuan % 10);
  QB_ASSERT(yuan == 0);
  std::string out;
  bool zero_pending = false;  // zeros were skipped since the last digit written
  for (int group = kGroupCount - 1; group >= 0; --group) {
    bool group_nonzero = false;
    for (int place = 3; place >= 0; --place) {
      const int32_t digit = digits[static_cast<size_t>(group * 4 + place)];
      if (digit == 0) {
        zero_pending = !out.empty();
        continue;
      }
      if (zero_pending) out += kDigits[0];
      zero_pending = false;
      out += kDigits[static_cast<size_t>(digit)];
      out += kPlaceUnits[static_cast<size_t>(place)];
      group_nonzero = true;
    }
    // The 亿 group's unit is also written when only the 万亿 group above it is nonzero, so
    // that 10^12 reads 壹万亿 and not 壹万.
    const bool above_nonzero = group == 2 && !out.empty();
    if (group == 3 && group_nonzero) out += "万";
    if (group == 2 && (group_nonzero || above_nonzero)) out += "亿";
    if (group == 1 && group_nonzero) out += "万";
    // Zeros that only end a group are not read: 107,000 is 壹拾万柒仟, as it is spoken.
    if (group_nonzero) zero_pending = false;
  }
  return out;
}

}  // namespace

std::string FormatFenFigures(int64_t amount_fen) {
  QB_ASSERT(amount_fen >= 0);
  const std::string yuan = std::to_string(amount_fen / 100);
  std::string out;
  for (size_t i = 0; i < yuan.size(); ++i) {
    if (i > 0 && (yuan.size() - i) % 3 == 0) out += ',';
    out += yuan[i];
  }
  const int64_t fen = amount_fen % 100;
  out += '.';
  out += static_cast<char>('0' + fen / 10);
  out += static_cast<char>('0' + fen % 10);
  return out;
}

std::string FormatYuan(int64_t amount_fen) { return "¥" + FormatFenFigures(amount_fen); }

std::optional<std::string> ChineseCapitalAmount(int64_t amount_fen) {
  if (amount_fen < 0 || amount_fen > kMaxCapitalAmountFen) return std::nullopt;
  const int64_t yuan = amount_fen / 100;
  const size_t jiao = static_cast<size_t>(amount_fen / 10 % 10);
  const size_t fen = static_cast<size_t>(amount_fen % 10);
  if (amount_fen == 0) return std::string("零元整");
  std::string out;
  if (yuan > 0) {
    out = YuanInCapitals(yuan) + "元";
    if (jiao == 0 && fen == 0) return out + "整";
    if (jiao == 0) out += kDigits[0];
  }
  if (jiao != 0) out += std::string(kDigits[jiao]) + "角";
  if (fen != 0) out += std::string(kDigits[fen]) + "分";
  return out;
}

}  // namespace qb::invoice
