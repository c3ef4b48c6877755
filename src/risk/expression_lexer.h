// The lexical grammar of rule expressions (see expression.h): tokens, and the character classes
// that FeatureSchema and SymbolTable share with the lexer so that every name the schema accepts
// can be written in a rule. Internal to src/risk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "risk/expression.h"

namespace qb::risk::expression_internal {

bool IsLetter(char c);  // a-z, A-Z, _
bool IsDigit(char c);
// What a string literal may hold: printable ASCII but '"' and a backslash.
bool IsSymbolChar(char c);
// and, or, not, in, true, false
bool IsKeyword(std::string_view word);
// `word { "." word }` with no keyword among the words.
bool IsFeatureName(std::string_view name);

enum class TokenKind : uint8_t {
  kEnd,
  kInteger,
  kString,
  kName,  // a feature name
  kTrue,
  kFalse,
  kAnd,
  kOr,
  kNot,
  kIn,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  int32_t column = 0;
  std::string_view text;
  int64_t integer = 0;  // kInteger only
};

// Splits a source into tokens, one Next call at a time. Columns are 1-based byte offsets.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  // Reads the next token into *token (kEnd, repeatedly, at the end of the source). False, with
  // *error set, for a malformed token: a bad integer, an unterminated or bad string, a character
  // that starts no token.
  bool Next(Token* token, CompileError* error);

 private:
  bool Lex();
  bool Fail(int32_t column, std::string message);
  bool LexInteger(size_t start);
  bool LexWord(size_t start);
  bool LexString(size_t start);
  bool LexOperator(size_t start);

  std::string_view source_;
  size_t position_ = 0;
  Token token_;
  CompileError error_;
};

}  // namespace qb::risk::expression_internal
