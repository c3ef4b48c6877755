// The rule expression language of the risk engine: a small, safe language of conditions over
// features, parsed once and compiled to a flat postfix program that evaluates with no allocation.
//
//   customer.count_1h >= 5 and amount > 50_000
//   device.accounts > 3 or (ip.count_1m > 20 and not customer.verified)
//   channel in ["QR", "NFC"] and merchant.category not in [5933, 7995]
//
// Grammar, loosest binding first (the usual precedence: `not` binds looser than a comparison,
// so `not a == b` is `not (a == b)`):
//
//   expression := or
//   or         := and { ("or" | "||") and }
//   and        := not { ("and" | "&&") not }
//   not        := ("not" | "!") not | comparison
//   comparison := sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum
//                     | ["not"] "in" "[" literal { "," literal } "]" ]
//   sum        := product { ("+" | "-") product }
//   product    := unary { ("*" | "/" | "%") unary }
//   unary      := "-" unary | primary
//   primary    := integer | "true" | "false" | string | feature | "(" expression ")"
//   literal    := ["-"] integer | string           (one list holds one type, constants only)
//   integer    := digit { digit | "_" }, not ending in "_"   e.g. 50_000 (fen; no decimals)
//   string     := '"' { printable ASCII but '"' and '\' } '"'
//   feature    := word { "." word },  word := (letter | "_") { letter | digit | "_" }
//
// Types are checked at compile time: integers (int64), booleans and symbols. A symbol is a
// string interned into a SymbolTable code; symbols can only be compared with == and != and
// tested with `in`. Arithmetic and ordering need integers, and/or/not need booleans, and a whole
// expression must be a boolean. Comparisons do not chain (`a < b < c` is an error).
//
// Features are resolved at compile time against a FeatureSchema (name -> slot and type), so
// evaluation reads a flat int64_t array by index. A boolean feature is true when non-zero; a
// symbol feature holds a SymbolTable code (0: unknown, equal to no string).
//
// Evaluation is checked: an overflow, a division or remainder by zero, or INT64_MIN / -1 stops
// the evaluation with an error and the result "not fired" -- never undefined behaviour.
// `and` and `or` short-circuit, so `count > 0 and total / count > 100` never divides by zero.
//
// Limits (a hostile rule can cost neither stack nor time): kMaxSourceBytes of source, nesting of
// parentheses and unary operators up to kMaxNestingDepth, kMaxInstructions instructions, a value
// stack of kMaxStackDepth, kMaxListElements per `in` list. Jumps only go forward, so evaluation
// runs at most kMaxInstructions steps.
//
// Thread-safety: a CompiledExpression is immutable after Compile and may be evaluated from any
// number of threads. FeatureSchema and SymbolTable are plain values with no locking.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace qb::risk {

enum class ValueType : uint8_t { kInt, kBool, kSymbol };

std::string_view ValueTypeName(ValueType type);

struct FeatureDefinition {
  std::string name;
  ValueType type = ValueType::kInt;
  uint32_t slot = 0;  // index into the feature array passed to Evaluate
};

// The features rules may read, each at a fixed slot of the feature array.
class FeatureSchema {
 public:
  static constexpr size_t kMaxFeatures = 1024;
  static constexpr size_t kMaxNameBytes = 64;

  // Appends a feature at the next slot (returned in *slot when non-null). kInvalidArgument for a
  // name that is not `word { "." word }`, is a keyword, is longer than kMaxNameBytes or is
  // already defined, or when the schema holds kMaxFeatures.
  Status Add(std::string_view name, ValueType type, uint32_t* slot = nullptr);

  // nullptr when there is no such feature.
  const FeatureDefinition* Find(std::string_view name) const;
  const FeatureDefinition& at(uint32_t slot) const { return features_.at(slot); }
  size_t size() const { return features_.size(); }

 private:
  std::vector<FeatureDefinition> features_;
  absl::flat_hash_map<std::string, uint32_t> slot_of_name_;
};

// Interns the strings of rules ("QR", "NFC") into integer codes 1, 2, 3... in first-seen order,
// so the same sequence of Intern calls gives the same codes on every replay. Callers put the
// code of, say, a payment's channel into the feature array; 0 means "unknown".
class SymbolTable {
 public:
  static constexpr size_t kMaxSymbols = 4096;
  static constexpr size_t kMaxSymbolBytes = 64;

  // The code of `text`, added if new. nullopt when `text` is empty, longer than
  // kMaxSymbolBytes, holds a character outside printable ASCII (or '"' or '\'), or the table
  // is full.
  std::optional<int64_t> Intern(std::string_view text);
  // 0 when `text` was never interned.
  int64_t Find(std::string_view text) const;
  // "" for 0 or an unknown code.
  std::string_view Name(int64_t code) const;
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;  // names_[code - 1]
  absl::flat_hash_map<std::string, int64_t> code_of_name_;
};

struct CompileError {
  int32_t column = 0;  // 1-based byte column of the offending token in the source
  std::string message;
  std::string ToString() const;  // "column 12: unknown feature 'customer.cnt_1h'"
};

enum class EvalError : uint8_t { kNone, kOverflow, kDivisionByZero };

std::string_view EvalErrorName(EvalError error);

struct EvalResult {
  bool fired = false;  // always false when error != kNone
  EvalError error = EvalError::kNone;
};

// The compiled form, private to expression.cc. Defined in the header only so that
// std::vector<Instruction> is a complete type wherever a CompiledExpression is destroyed.
namespace expression_internal {

enum class Op : uint8_t {
  kPush,      // push value
  kLoadInt,   // push features[arg]
  kLoadBool,  // push features[arg] != 0
  kAdd,       // pop b, pop a, push a + b (checked); likewise the four below
  kSubtract,
  kMultiply,
  kDivide,
  kRemainder,
  kNegate,  // pop a, push -a (checked)
  kEqual,   // pop b, pop a, push a == b; likewise the five below
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  // `feature <op> constant`, the commonest shape of a rule, fused into one instruction:
  // push features[arg] == value; likewise the five below, in the order of kEqual..kGreaterEqual.
  kFeatureEqual,
  kFeatureNotEqual,
  kFeatureLess,
  kFeatureLessEqual,
  kFeatureGreater,
  kFeatureGreaterEqual,
  kNot,                 // pop a, push !a
  kInList,              // pop a, push whether a is in list_values_[value, value + count)
  kFeatureInList,       // push whether features[arg] is in list_values_[value, value + count)
  kJumpIfFalseElsePop,  // top false: jump to arg, keeping it (the `and` result); else pop it
  kJumpIfTrueElsePop,   // top true: jump to arg, keeping it (the `or` result); else pop it
};

struct Instruction {
  Op op = Op::kPush;
  uint16_t count = 0;  // length of an `in` list
  uint32_t arg = 0;    // slot or jump target
  int64_t value = 0;   // constant, or offset of a list in list_values_
};
static_assert(sizeof(Instruction) == 16);

}  // namespace expression_internal

class CompiledExpression {
 public:
  static constexpr size_t kMaxSourceBytes = 4096;
  static constexpr int32_t kMaxNestingDepth = 64;
  static constexpr size_t kMaxInstructions = 256;
  static constexpr size_t kMaxStackDepth = 64;
  static constexpr size_t kMaxListElements = 64;

  // Compiles `source` against `schema`, interning its string literals into `symbols`.
  // kInvalidArgument (with error->ToString() as the message) for a syntax or type error, an
  // unknown feature, or a limit exceeded; *error, when non-null, gets the column and message.
  // `symbols` may have grown even when compilation fails.
  static Status Compile(std::string_view source, const FeatureSchema& schema, SymbolTable* symbols,
                        CompiledExpression* out, CompileError* error = nullptr);

  // Evaluates against `features`, which must hold at least feature_count() values (a
  // programmer error otherwise, asserted). Allocation-free.
  EvalResult Evaluate(std::span<const int64_t> features) const;

  // The slots of the features the expression reads, each once, in order of first appearance:
  // what an explanation shows beside the rule.
  std::span<const uint32_t> referenced_slots() const { return referenced_slots_; }
  // One more than the highest slot read: the smallest feature array Evaluate accepts.
  size_t feature_count() const { return feature_count_; }
  size_t instruction_count() const { return code_.size(); }
  const std::string& source() const { return source_; }

 private:
  friend class ExpressionCompiler;

  using Op = expression_internal::Op;
  using Instruction = expression_internal::Instruction;

  bool InList(const Instruction& instruction, int64_t value) const;

  std::string source_;
  std::vector<Instruction> code_;
  std::vector<int64_t> list_values_;  // every `in` list, each sorted, back to back
  std::vector<uint32_t> referenced_slots_;
  size_t feature_count_ = 0;
};

}  // namespace qb::risk
