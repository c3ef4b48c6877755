#include "risk/expression.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "risk/expression_lexer.h"

namespace qb::risk {

using expression_internal::IsFeatureName;
using expression_internal::IsSymbolChar;
using expression_internal::Lexer;
using expression_internal::Token;
using expression_internal::TokenKind;

namespace {

absl::string_view Key(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kInt:
      return "integer";
    case ValueType::kBool:
      return "boolean";
    case ValueType::kSymbol:
      return "string";
  }
  return "unknown";
}

std::string_view EvalErrorName(EvalError error) {
  switch (error) {
    case EvalError::kNone:
      return "none";
    case EvalError::kOverflow:
      return "overflow";
    case EvalError::kDivisionByZero:
      return "division by zero";
  }
  return "unknown";
}

std::string CompileError::ToString() const { return fmt::format("column {}: {}", column, message); }

Status FeatureSchema::Add(std::string_view name, ValueType type, uint32_t* slot) {
  if (name.size() > kMaxNameBytes || !IsFeatureName(name)) {
    return Status::InvalidArgument(fmt::format("bad feature name '{}'", name.substr(0, 80)));
  }
  if (features_.size() >= kMaxFeatures) {
    return Status::InvalidArgument(fmt::format("more than {} features", kMaxFeatures));
  }
  const auto new_slot = static_cast<uint32_t>(features_.size());
  if (!slot_of_name_.emplace(std::string(name), new_slot).second) {
    return Status::InvalidArgument(fmt::format("feature '{}' defined twice", name));
  }
  features_.push_back({std::string(name), type, new_slot});
  if (slot != nullptr) *slot = new_slot;
  return Status::Ok();
}

const FeatureDefinition* FeatureSchema::Find(std::string_view name) const {
  const auto it = slot_of_name_.find(Key(name));
  return it == slot_of_name_.end() ? nullptr : &features_[it->second];
}

std::optional<int64_t> SymbolTable::Intern(std::string_view text) {
  if (text.empty() || text.size() > kMaxSymbolBytes) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), IsSymbolChar)) return std::nullopt;
  if (const int64_t code = Find(text); code != 0) return code;
  if (names_.size() >= kMaxSymbols) return std::nullopt;
  names_.emplace_back(text);
  const auto code = static_cast<int64_t>(names_.size());
  code_of_name_.emplace(std::string(text), code);
  return code;
}

int64_t SymbolTable::Find(std::string_view text) const {
  const auto it = code_of_name_.find(Key(text));
  return it == code_of_name_.end() ? 0 : it->second;
}

std::string_view SymbolTable::Name(int64_t code) const {
  if (code < 1 || static_cast<size_t>(code) > names_.size()) return {};
  return names_[static_cast<size_t>(code - 1)];
}

// Recursive descent straight to postfix code: each Parse* function emits the code of its
// sub-expression and returns the sub-expression's type, so there is no syntax tree to allocate.
// The first error stops everything: every Parse* returns nullopt once error_ is set.
class ExpressionCompiler {
 public:
  using Op = expression_internal::Op;

  ExpressionCompiler(std::string_view source, const FeatureSchema& schema, SymbolTable* symbols,
                     CompiledExpression* out)
      : source_(source), lexer_(source), schema_(schema), symbols_(symbols), out_(out) {}

  bool Run() {
    if (source_.size() > CompiledExpression::kMaxSourceBytes) {
      return Fail(
          static_cast<int32_t>(CompiledExpression::kMaxSourceBytes) + 1,
          fmt::format("expression longer than {} bytes", CompiledExpression::kMaxSourceBytes));
    }
    if (!Advance()) return false;
    const Token first = token_;
    const std::optional<ValueType> type = ParseOr();
    if (!type) return false;
    if (token_.kind != TokenKind::kEnd) return Unexpected("an operator or the end");
    if (*type != ValueType::kBool) {
      return Fail(first.column, fmt::format("a rule must be a condition (true or false), this is "
                                            "an expression of type {}",
                                            ValueTypeName(*type)));
    }
    QB_ASSERT(stack_depth_ == 1);
    return true;
  }

  const CompileError& error() const { return error_; }

 private:
  bool Fail(int32_t column, std::string message) {
    if (!failed_) error_ = {column, std::move(message)};
    failed_ = true;
    return false;
  }
  std::nullopt_t Error(int32_t column, std::string message) {
    Fail(column, std::move(message));
    return std::nullopt;
  }
  std::nullopt_t UnexpectedError(std::string_view expected) {
    Unexpected(expected);
    return std::nullopt;
  }
  bool Unexpected(std::string_view expected) {
    if (token_.kind == TokenKind::kEnd) {
      return Fail(token_.column, fmt::format("expected {}, found the end", expected));
    }
    return Fail(token_.column, fmt::format("expected {}, found '{}'", expected, token_.text));
  }

  // Reads the token after the current one into token_.
  bool Advance() {
    CompileError error;
    if (lexer_.Next(&token_, &error)) return true;
    return Fail(error.column, std::move(error.message));
  }

  // Code emission, with the stack depth each instruction leaves behind.
  bool Emit(Op op, uint32_t arg, int64_t value, int stack_change) {
    if (out_->code_.size() >= CompiledExpression::kMaxInstructions) {
      return Fail(token_.column, fmt::format("expression too long: more than {} instructions",
                                             CompiledExpression::kMaxInstructions));
    }
    stack_depth_ += stack_change;
    QB_ASSERT(stack_depth_ >= 0);
    if (static_cast<size_t>(stack_depth_) > CompiledExpression::kMaxStackDepth) {
      return Fail(token_.column, "expression too complex: it needs too deep a value stack");
    }
    out_->code_.push_back({op, 0, arg, value});
    return true;
  }

  // `feature <op> constant` becomes one fused instruction (see Op::kFeatureEqual), unless a jump
  // lands between the two loads.
  bool EmitComparison(Op op) {
    std::vector<CompiledExpression::Instruction>& code = out_->code_;
    const size_t size = code.size();
    if (size >= 2 && size - 2 >= fusion_barrier_ && code[size - 2].op == Op::kLoadInt &&
        code[size - 1].op == Op::kPush) {
      const uint32_t slot = code[size - 2].arg;
      const int64_t constant = code[size - 1].value;
      code.pop_back();
      const auto fused =
          static_cast<Op>(static_cast<uint8_t>(Op::kFeatureEqual) +
                          (static_cast<uint8_t>(op) - static_cast<uint8_t>(Op::kEqual)));
      code.back() = {fused, 0, slot, constant};
      --stack_depth_;  // the pushed constant is gone; the comparison's result replaces the load
      return true;
    }
    return Emit(op, 0, 0, -1);
  }

  // Tests the value on top of the stack, or a feature directly when it was just loaded.
  bool EmitInList(uint16_t count, size_t offset) {
    std::vector<CompiledExpression::Instruction>& code = out_->code_;
    const auto value = static_cast<int64_t>(offset);
    if (!code.empty() && code.size() - 1 >= fusion_barrier_ && code.back().op == Op::kLoadInt) {
      code.back() = {Op::kFeatureInList, count, code.back().arg, value};
      return true;
    }
    if (!Emit(Op::kInList, 0, value, 0)) return false;
    code.back().count = count;
    return true;
  }

  // Nesting: parentheses and prefix operators recurse, so each level is counted.
  bool Enter() {
    if (++depth_ > CompiledExpression::kMaxNestingDepth) {
      return Fail(token_.column, fmt::format("expression nested deeper than {} levels",
                                             CompiledExpression::kMaxNestingDepth));
    }
    return true;
  }
  void Leave() { --depth_; }

  bool Expect(ValueType want, ValueType got, int32_t column, std::string_view what) {
    if (want == got) return true;
    return Fail(column, fmt::format("{} needs {} operands, this one is {}", what,
                                    ValueTypeName(want), ValueTypeName(got)));
  }

  // `and` and `or` share this: the left operand's value decides on its own when it equals the
  // jump condition, and stays on the stack as the result.
  std::optional<ValueType> ParseLogical(TokenKind operator_kind, Op jump,
                                        std::optional<ValueType> (ExpressionCompiler::*operand)(),
                                        std::string_view name) {
    const int32_t left_column = token_.column;
    std::optional<ValueType> left = (this->*operand)();
    if (!left) return std::nullopt;
    if (token_.kind != operator_kind) return left;
    if (!Expect(ValueType::kBool, *left, left_column, name)) return std::nullopt;
    while (token_.kind == operator_kind) {
      if (!Advance()) return std::nullopt;
      const size_t jump_at = out_->code_.size();
      if (!Emit(jump, 0, 0, -1)) return std::nullopt;
      const int32_t right_column = token_.column;
      const std::optional<ValueType> right = (this->*operand)();
      if (!right) return std::nullopt;
      if (!Expect(ValueType::kBool, *right, right_column, name)) return std::nullopt;
      out_->code_[jump_at].arg = static_cast<uint32_t>(out_->code_.size());
      fusion_barrier_ = out_->code_.size();
    }
    return ValueType::kBool;
  }

  std::optional<ValueType> ParseOr() {
    return ParseLogical(TokenKind::kOr, Op::kJumpIfTrueElsePop, &ExpressionCompiler::ParseAnd,
                        "'or'");
  }
  std::optional<ValueType> ParseAnd() {
    return ParseLogical(TokenKind::kAnd, Op::kJumpIfFalseElsePop, &ExpressionCompiler::ParseNot,
                        "'and'");
  }

  std::optional<ValueType> ParseNot() {
    if (token_.kind != TokenKind::kNot) return ParseComparison();
    if (!Enter() || !Advance()) return std::nullopt;
    const int32_t column = token_.column;
    const std::optional<ValueType> operand = ParseNot();
    if (!operand) return std::nullopt;
    if (!Expect(ValueType::kBool, *operand, column, "'not'")) return std::nullopt;
    if (!Emit(Op::kNot, 0, 0, 0)) return std::nullopt;
    Leave();
    return ValueType::kBool;
  }

  std::optional<ValueType> ParseComparison() {
    const int32_t left_column = token_.column;
    const std::optional<ValueType> left = ParseSum();
    if (!left) return std::nullopt;
    if (token_.kind == TokenKind::kIn) return ParseInList(*left, left_column, /*negated=*/false);
    if (token_.kind == TokenKind::kNot) {
      if (!Advance()) return std::nullopt;
      if (token_.kind != TokenKind::kIn) return UnexpectedError("'in' after 'not'");
      return ParseInList(*left, left_column, /*negated=*/true);
    }
    Op op;
    switch (token_.kind) {
      case TokenKind::kEqual:
        op = Op::kEqual;
        break;
      case TokenKind::kNotEqual:
        op = Op::kNotEqual;
        break;
      case TokenKind::kLess:
        op = Op::kLess;
        break;
      case TokenKind::kLessEqual:
        op = Op::kLessEqual;
        break;
      case TokenKind::kGreater:
        op = Op::kGreater;
        break;
      case TokenKind::kGreaterEqual:
        op = Op::kGreaterEqual;
        break;
      default:
        return left;
    }
    const Token comparison = token_;
    if (!Advance()) return std::nullopt;
    const int32_t right_column = token_.column;
    const std::optional<ValueType> right = ParseSum();
    if (!right) return std::nullopt;
    const bool equality = op == Op::kEqual || op == Op::kNotEqual;
    if (equality && *left != *right) {
      return Error(right_column, fmt::format("'{}' compares a {} with a {}", comparison.text,
                                             ValueTypeName(*left), ValueTypeName(*right)));
    }
    if (!equality && (!Expect(ValueType::kInt, *left, left_column, comparison.text) ||
                      !Expect(ValueType::kInt, *right, right_column, comparison.text))) {
      return std::nullopt;
    }
    if (!EmitComparison(op)) return std::nullopt;
    switch (token_.kind) {
      case TokenKind::kEqual:
      case TokenKind::kNotEqual:
      case TokenKind::kLess:
      case TokenKind::kLessEqual:
      case TokenKind::kGreater:
      case TokenKind::kGreaterEqual:
      case TokenKind::kIn:
        return Error(token_.column, "comparisons do not chain; join them with 'and'");
      default:
        return ValueType::kBool;
    }
  }

  // `in [literal, ...]`: the list is a constant, sorted and deduplicated into list_values_.
  std::optional<ValueType> ParseInList(ValueType left, int32_t left_column, bool negated) {
    if (left == ValueType::kBool) {
      return Error(left_column, "'in' needs an integer or string operand, this one is boolean");
    }
    if (!Advance()) return std::nullopt;
    if (token_.kind != TokenKind::kLeftBracket) return UnexpectedError("'['");
    const size_t offset = out_->list_values_.size();
    do {
      if (!Advance()) return std::nullopt;
      if (out_->list_values_.size() - offset >= CompiledExpression::kMaxListElements) {
        return Error(token_.column, fmt::format("list longer than {} elements",
                                                CompiledExpression::kMaxListElements));
      }
      const std::optional<int64_t> element = ParseListElement(left);
      if (!element) return std::nullopt;
      out_->list_values_.push_back(*element);
    } while (token_.kind == TokenKind::kComma);
    if (token_.kind != TokenKind::kRightBracket) return UnexpectedError("',' or ']'");
    if (!Advance()) return std::nullopt;
    const auto begin = out_->list_values_.begin() + static_cast<std::ptrdiff_t>(offset);
    std::sort(begin, out_->list_values_.end());
    out_->list_values_.erase(std::unique(begin, out_->list_values_.end()),
                             out_->list_values_.end());
    const auto count = static_cast<uint16_t>(out_->list_values_.size() - offset);
    if (!EmitInList(count, offset)) return std::nullopt;
    if (negated && !Emit(Op::kNot, 0, 0, 0)) return std::nullopt;
    return ValueType::kBool;
  }

  // One list element of the type `element_type`; leaves the token after it current.
  std::optional<int64_t> ParseListElement(ValueType element_type) {
    const Token element = token_;
    if (element_type == ValueType::kSymbol) {
      if (element.kind != TokenKind::kString) return UnexpectedError("a string");
      const std::optional<int64_t> code = InternString(element);
      if (!code || !Advance()) return std::nullopt;
      return code;
    }
    bool negative = false;
    if (token_.kind == TokenKind::kMinus) {
      negative = true;
      if (!Advance()) return std::nullopt;
    }
    if (token_.kind != TokenKind::kInteger) return UnexpectedError("an integer");
    const int64_t value = negative ? -token_.integer : token_.integer;
    if (!Advance()) return std::nullopt;
    return value;
  }

  std::optional<int64_t> InternString(const Token& token) {
    const std::string_view text = token.text.substr(1, token.text.size() - 2);
    const std::optional<int64_t> code = symbols_->Intern(text);
    if (!code) {
      return Error(token.column, fmt::format("string '{}' is empty, longer than {} bytes, or the "
                                             "symbol table is full",
                                             text, SymbolTable::kMaxSymbolBytes));
    }
    return code;
  }

  std::optional<ValueType> ParseBinaryArithmetic(
      std::optional<ValueType> (ExpressionCompiler::*operand)(), bool product) {
    const int32_t left_column = token_.column;
    std::optional<ValueType> left = (this->*operand)();
    if (!left) return std::nullopt;
    while (true) {
      Op op;
      switch (token_.kind) {
        case TokenKind::kPlus:
          op = Op::kAdd;
          break;
        case TokenKind::kMinus:
          op = Op::kSubtract;
          break;
        case TokenKind::kStar:
          op = Op::kMultiply;
          break;
        case TokenKind::kSlash:
          op = Op::kDivide;
          break;
        case TokenKind::kPercent:
          op = Op::kRemainder;
          break;
        default:
          return left;
      }
      const bool is_product = op == Op::kMultiply || op == Op::kDivide || op == Op::kRemainder;
      if (is_product != product) return left;
      const Token arithmetic = token_;
      if (!Expect(ValueType::kInt, *left, left_column, arithmetic.text)) return std::nullopt;
      if (!Advance()) return std::nullopt;
      const int32_t right_column = token_.column;
      const std::optional<ValueType> right = (this->*operand)();
      if (!right) return std::nullopt;
      if (!Expect(ValueType::kInt, *right, right_column, arithmetic.text)) return std::nullopt;
      if (!Emit(op, 0, 0, -1)) return std::nullopt;
    }
  }

  std::optional<ValueType> ParseSum() {
    return ParseBinaryArithmetic(&ExpressionCompiler::ParseProduct, /*product=*/false);
  }
  std::optional<ValueType> ParseProduct() {
    return ParseBinaryArithmetic(&ExpressionCompiler::ParseUnary, /*product=*/true);
  }

  std::optional<ValueType> ParseUnary() {
    if (token_.kind != TokenKind::kMinus) return ParsePrimary();
    if (!Enter() || !Advance()) return std::nullopt;
    const int32_t column = token_.column;
    const std::optional<ValueType> operand = ParseUnary();
    if (!operand) return std::nullopt;
    if (!Expect(ValueType::kInt, *operand, column, "'-'")) return std::nullopt;
    std::vector<CompiledExpression::Instruction>& code = out_->code_;
    if (!code.empty() && code.size() - 1 >= fusion_barrier_ && code.back().op == Op::kPush &&
        code.back().value != INT64_MIN) {
      code.back().value = -code.back().value;  // a negative literal is a constant
    } else if (!Emit(Op::kNegate, 0, 0, 0)) {
      return std::nullopt;
    }
    Leave();
    return ValueType::kInt;
  }

  std::optional<ValueType> ParsePrimary() {
    const Token primary = token_;
    switch (primary.kind) {
      case TokenKind::kInteger:
        if (!Emit(Op::kPush, 0, primary.integer, 1) || !Advance()) return std::nullopt;
        return ValueType::kInt;
      case TokenKind::kTrue:
      case TokenKind::kFalse:
        if (!Emit(Op::kPush, 0, primary.kind == TokenKind::kTrue ? 1 : 0, 1) || !Advance()) {
          return std::nullopt;
        }
        return ValueType::kBool;
      case TokenKind::kString: {
        const std::optional<int64_t> code = InternString(primary);
        if (!code || !Emit(Op::kPush, 0, *code, 1) || !Advance()) return std::nullopt;
        return ValueType::kSymbol;
      }
      case TokenKind::kName:
        return ParseFeature();
      case TokenKind::kLeftParen: {
        if (!Enter() || !Advance()) return std::nullopt;
        const std::optional<ValueType> inner = ParseOr();
        if (!inner) return std::nullopt;
        if (token_.kind != TokenKind::kRightParen) return UnexpectedError("')'");
        if (!Advance()) return std::nullopt;
        Leave();
        return inner;
      }
      default:
        return UnexpectedError("a number, a string, a feature, 'true', 'false', '-', 'not' or '('");
    }
  }

  std::optional<ValueType> ParseFeature() {
    const Token name = token_;
    if (name.text.size() > FeatureSchema::kMaxNameBytes) {
      return Error(name.column, "feature name too long");
    }
    const FeatureDefinition* feature = schema_.Find(name.text);
    if (feature == nullptr) {
      return Error(name.column, fmt::format("unknown feature '{}'", name.text));
    }
    const Op op = feature->type == ValueType::kBool ? Op::kLoadBool : Op::kLoadInt;
    if (!Emit(op, feature->slot, 0, 1) || !Advance()) return std::nullopt;
    auto& slots = out_->referenced_slots_;
    if (std::find(slots.begin(), slots.end(), feature->slot) == slots.end()) {
      slots.push_back(feature->slot);
    }
    out_->feature_count_ = std::max<size_t>(out_->feature_count_, feature->slot + size_t{1});
    return feature->type;
  }

  std::string_view source_;
  Lexer lexer_;
  const FeatureSchema& schema_;
  SymbolTable* symbols_;
  CompiledExpression* out_;
  Token token_;
  int32_t depth_ = 0;
  int stack_depth_ = 0;
  size_t fusion_barrier_ = 0;  // no instruction before this may be fused: a jump lands here
  bool failed_ = false;
  CompileError error_;
};

Status CompiledExpression::Compile(std::string_view source, const FeatureSchema& schema,
                                   SymbolTable* symbols, CompiledExpression* out,
                                   CompileError* error) {
  QB_ASSERT(symbols != nullptr && out != nullptr);
  CompiledExpression compiled;
  ExpressionCompiler compiler(source, schema, symbols, &compiled);
  if (!compiler.Run()) {
    if (error != nullptr) *error = compiler.error();
    return Status::InvalidArgument(compiler.error().ToString());
  }
  compiled.source_ = std::string(source);
  compiled.code_.shrink_to_fit();
  compiled.list_values_.shrink_to_fit();
  compiled.referenced_slots_.shrink_to_fit();
  *out = std::move(compiled);
  return Status::Ok();
}

}  // namespace qb::risk
