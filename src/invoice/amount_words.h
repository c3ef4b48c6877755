// Money amounts as printed on an invoice: in figures ("¥1,234.56") and in Chinese capital
// numerals (人民币大写, "壹仟贰佰叁拾肆元伍角陆分"). Integer arithmetic only. Pure and thread-safe.
//
// Capital numerals follow the rules for writing amounts on bills (《支付结算办法》 附件, 正确
// 填写票据和结算凭证的基本规定), choosing one spelling where the rules allow two:
//   - Units are 拾佰仟 within a group of four digits and 万, 亿, 万亿 between groups; a leading 1
//     before 拾 is written (壹拾元, not 拾元).
//   - One 零 stands for any run of zeros between two nonzero digits (6,007 → 陆仟零柒元),
//     across group boundaries too (1,000,010 → 壹佰万零壹拾元), except zeros that only end a
//     group of four, which are not read, as in speech (107,000 → 壹拾万柒仟元; the rules
//     allow 壹拾万零柒仟元 too). Trailing zeros are not written, and a group of four zeros
//     drops its unit (壹亿零壹万元, not 壹亿零万零壹万元).
//   - When the yuan part is nonzero, 角 is zero and 分 is not, 零 follows 元 (元零伍分): the
//     rules require it. When 角 is nonzero, no 零 is written between 元 and 角 (壹拾元伍角):
//     the rules allow either spelling.
//   - 整 follows 元 when there is no 角 and no 分, and never otherwise.
//   - Below one yuan, 元 is not written (伍角, 伍分); zero is 零元整.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace qb::invoice {

// Capital numerals cover yuan amounts below 10^16 (up to 仟万亿).
inline constexpr int64_t kMaxCapitalAmountFen = 999'999'999'999'999'999;

// "1,234.56": thousands separated by commas, always two decimals. Precondition (asserted):
// amount_fen >= 0.
std::string FormatFenFigures(int64_t amount_fen);

// "¥1,234.56" with U+00A5 YEN SIGN. Precondition (asserted): amount_fen >= 0.
std::string FormatYuan(int64_t amount_fen);

// The amount in capital numerals, UTF-8; nullopt when amount_fen < 0 or > kMaxCapitalAmountFen.
std::optional<std::string> ChineseCapitalAmount(int64_t amount_fen);

}  // namespace qb::invoice
