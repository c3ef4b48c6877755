#include "risk/expression_lexer.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "base/checked.h"

namespace qb::risk::expression_internal {

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSymbolChar(char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; }

bool IsKeyword(std::string_view word) {
  return word == "and" || word == "or" || word == "not" || word == "in" || word == "true" ||
         word == "false";
}

// `word { "." word }` with no keyword among the words.
bool IsFeatureName(std::string_view name) {
  size_t start = 0;
  while (true) {
    size_t end = start;
    if (end >= name.size() || !IsLetter(name[end])) return false;
    while (end < name.size() && (IsLetter(name[end]) || IsDigit(name[end]))) ++end;
    if (IsKeyword(name.substr(start, end - start))) return false;
    if (end == name.size()) return true;
    if (name[end] != '.') return false;
    start = end + 1;
  }
}

bool Lexer::Fail(int32_t column, std::string message) {
  error_ = {column, std::move(message)};
  return false;
}

bool Lexer::Next(Token* token, CompileError* error) {
  const bool ok = Lex();
  *token = token_;
  if (!ok) *error = error_;
  return ok;
}

bool Lexer::Lex() {
  while (position_ < source_.size() && (source_[position_] == ' ' || source_[position_] == '\t' ||
                                        source_[position_] == '\n' || source_[position_] == '\r')) {
    ++position_;
  }
  token_ = Token{TokenKind::kEnd, static_cast<int32_t>(position_) + 1, {}, 0};
  if (position_ >= source_.size()) return true;
  const size_t start = position_;
  const char c = source_[position_];
  if (IsDigit(c)) return LexInteger(start);
  if (IsLetter(c)) return LexWord(start);
  if (c == '"') return LexString(start);
  return LexOperator(start);
}

bool Lexer::LexInteger(size_t start) {
  int64_t value = 0;
  bool last_was_separator = false;
  while (position_ < source_.size() && (IsDigit(source_[position_]) || source_[position_] == '_')) {
    const char c = source_[position_++];
    last_was_separator = c == '_';
    if (last_was_separator) continue;
    const std::optional<int64_t> times_ten = CheckedMul(value, 10);
    const std::optional<int64_t> next = times_ten ? CheckedAdd(*times_ten, c - '0') : std::nullopt;
    if (!next) return Fail(token_.column, "integer literal out of range");
    value = *next;
  }
  if (last_was_separator) return Fail(token_.column, "integer literal ends with '_'");
  if (position_ < source_.size() && (IsLetter(source_[position_]) || source_[position_] == '.')) {
    return Fail(token_.column, "bad integer literal (only whole numbers are allowed)");
  }
  token_.kind = TokenKind::kInteger;
  token_.text = source_.substr(start, position_ - start);
  token_.integer = value;
  return true;
}

bool Lexer::LexWord(size_t start) {
  while (position_ < source_.size()) {
    const char c = source_[position_];
    if (IsLetter(c) || IsDigit(c)) {
      ++position_;
    } else if (c == '.' && position_ + 1 < source_.size() && IsLetter(source_[position_ + 1])) {
      ++position_;
    } else {
      break;
    }
  }
  token_.text = source_.substr(start, position_ - start);
  const std::string_view word = token_.text;
  if (word == "and") {
    token_.kind = TokenKind::kAnd;
  } else if (word == "or") {
    token_.kind = TokenKind::kOr;
  } else if (word == "not") {
    token_.kind = TokenKind::kNot;
  } else if (word == "in") {
    token_.kind = TokenKind::kIn;
  } else if (word == "true") {
    token_.kind = TokenKind::kTrue;
  } else if (word == "false") {
    token_.kind = TokenKind::kFalse;
  } else {
    token_.kind = TokenKind::kName;
  }
  return true;
}

bool Lexer::LexString(size_t start) {
  ++position_;
  while (position_ < source_.size() && source_[position_] != '"') {
    if (!IsSymbolChar(source_[position_])) {
      return Fail(static_cast<int32_t>(position_) + 1,
                  "strings hold printable ASCII only, without '\\'");
    }
    ++position_;
  }
  if (position_ >= source_.size()) return Fail(token_.column, "unterminated string");
  ++position_;
  token_.kind = TokenKind::kString;
  token_.text = source_.substr(start, position_ - start);
  return true;
}

bool Lexer::LexOperator(size_t start) {
  struct Spelling {
    std::string_view text;
    TokenKind kind;
  };
  // Two-character spellings first, so "<=" is not read as "<" then "=".
  static constexpr Spelling kSpellings[] = {
      {"==", TokenKind::kEqual},      {"!=", TokenKind::kNotEqual},
      {"<=", TokenKind::kLessEqual},  {">=", TokenKind::kGreaterEqual},
      {"&&", TokenKind::kAnd},        {"||", TokenKind::kOr},
      {"<", TokenKind::kLess},        {">", TokenKind::kGreater},
      {"!", TokenKind::kNot},         {"+", TokenKind::kPlus},
      {"-", TokenKind::kMinus},       {"*", TokenKind::kStar},
      {"/", TokenKind::kSlash},       {"%", TokenKind::kPercent},
      {"(", TokenKind::kLeftParen},   {")", TokenKind::kRightParen},
      {"[", TokenKind::kLeftBracket}, {"]", TokenKind::kRightBracket},
      {",", TokenKind::kComma},
  };
  const std::string_view rest = source_.substr(start);
  for (const Spelling& spelling : kSpellings) {
    if (rest.starts_with(spelling.text)) {
      position_ += spelling.text.size();
      token_.kind = spelling.kind;
      token_.text = spelling.text;
      return true;
    }
  }
  if (rest.starts_with("=")) return Fail(token_.column, "'=' is not an operator; use '=='");
  const auto byte = static_cast<unsigned char>(source_[start]);
  if (byte >= 0x21 && byte <= 0x7e) {
    return Fail(token_.column, fmt::format("unexpected character '{}'", source_[start]));
  }
  return Fail(token_.column, fmt::format("unexpected byte 0x{:02x}", byte));
}

}  // namespace qb::risk::expression_internal
