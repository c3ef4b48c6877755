// The evaluator of compiled rule expressions: the hot path of every risk decision, kept apart
// from the compiler so it can be read whole. One switch over a flat instruction array and a
// fixed value stack; no allocation, no recursion, no backward jumps.
#include <algorithm>
#include <cstdint>

#include "base/assert.h"
#include "risk/expression.h"

namespace qb::risk {

namespace {

// Checked int64 arithmetic: an error instead of overflowing or trapping.
EvalError Arithmetic(expression_internal::Op op, int64_t a, int64_t b, int64_t* result) {
  using expression_internal::Op;
  switch (op) {
    case Op::kAdd:
      return __builtin_add_overflow(a, b, result) ? EvalError::kOverflow : EvalError::kNone;
    case Op::kSubtract:
      return __builtin_sub_overflow(a, b, result) ? EvalError::kOverflow : EvalError::kNone;
    case Op::kMultiply:
      return __builtin_mul_overflow(a, b, result) ? EvalError::kOverflow : EvalError::kNone;
    case Op::kDivide:
      if (b == 0) return EvalError::kDivisionByZero;
      if (b == -1 && a == INT64_MIN) return EvalError::kOverflow;
      *result = a / b;
      return EvalError::kNone;
    case Op::kRemainder:
      if (b == 0) return EvalError::kDivisionByZero;
      // INT64_MIN % -1 is undefined in C++ (it traps on x86); every x % -1 is 0.
      *result = b == -1 ? 0 : a % b;
      return EvalError::kNone;
    default:
      break;
  }
  QB_ASSERT(false);
  return EvalError::kNone;
}

}  // namespace

bool CompiledExpression::InList(const Instruction& instruction, int64_t value) const {
  const int64_t* begin = list_values_.data() + instruction.value;
  const int64_t* end = begin + instruction.count;
  // Short lists (the common case) are scanned; long ones, sorted at compile time, halved.
  return instruction.count <= 8 ? std::find(begin, end, value) != end
                                : std::binary_search(begin, end, value);
}

EvalResult CompiledExpression::Evaluate(std::span<const int64_t> features) const {
  QB_ASSERT(features.size() >= feature_count_);
  int64_t stack[kMaxStackDepth];
  size_t top = 0;  // number of values on the stack
  const Instruction* const code = code_.data();
  const size_t size = code_.size();
  // Compile proved the depth never exceeds kMaxStackDepth nor drops below the operands an
  // instruction pops, and that every jump goes forward: the loop runs at most `size` times.
  for (size_t pc = 0; pc < size; ++pc) {
    const Instruction& instruction = code[pc];
    switch (instruction.op) {
      case Op::kPush:
        stack[top++] = instruction.value;
        break;
      case Op::kLoadInt:
        stack[top++] = features[instruction.arg];
        break;
      case Op::kLoadBool:
        stack[top++] = features[instruction.arg] != 0;
        break;
      case Op::kAdd:
      case Op::kSubtract:
      case Op::kMultiply:
      case Op::kDivide:
      case Op::kRemainder:
        --top;
        if (const EvalError error =
                Arithmetic(instruction.op, stack[top - 1], stack[top], &stack[top - 1]);
            error != EvalError::kNone) {
          return {false, error};
        }
        break;
      case Op::kNegate:
        if (stack[top - 1] == INT64_MIN) return {false, EvalError::kOverflow};
        stack[top - 1] = -stack[top - 1];
        break;
      case Op::kEqual:
        --top;
        stack[top - 1] = stack[top - 1] == stack[top];
        break;
      case Op::kNotEqual:
        --top;
        stack[top - 1] = stack[top - 1] != stack[top];
        break;
      case Op::kLess:
        --top;
        stack[top - 1] = stack[top - 1] < stack[top];
        break;
      case Op::kLessEqual:
        --top;
        stack[top - 1] = stack[top - 1] <= stack[top];
        break;
      case Op::kGreater:
        --top;
        stack[top - 1] = stack[top - 1] > stack[top];
        break;
      case Op::kGreaterEqual:
        --top;
        stack[top - 1] = stack[top - 1] >= stack[top];
        break;
      case Op::kNot:
        stack[top - 1] = !stack[top - 1];
        break;
      case Op::kFeatureEqual:
        stack[top++] = features[instruction.arg] == instruction.value;
        break;
      case Op::kFeatureNotEqual:
        stack[top++] = features[instruction.arg] != instruction.value;
        break;
      case Op::kFeatureLess:
        stack[top++] = features[instruction.arg] < instruction.value;
        break;
      case Op::kFeatureLessEqual:
        stack[top++] = features[instruction.arg] <= instruction.value;
        break;
      case Op::kFeatureGreater:
        stack[top++] = features[instruction.arg] > instruction.value;
        break;
      case Op::kFeatureGreaterEqual:
        stack[top++] = features[instruction.arg] >= instruction.value;
        break;
      case Op::kInList:
        stack[top - 1] = InList(instruction, stack[top - 1]);
        break;
      case Op::kFeatureInList:
        stack[top++] = InList(instruction, features[instruction.arg]);
        break;
      case Op::kJumpIfFalseElsePop:
        if (stack[top - 1] == 0) {
          pc = instruction.arg - 1;
        } else {
          --top;
        }
        break;
      case Op::kJumpIfTrueElsePop:
        if (stack[top - 1] != 0) {
          pc = instruction.arg - 1;
        } else {
          --top;
        }
        break;
    }
  }
  QB_ASSERT(top == 1);
  return {stack[0] != 0, EvalError::kNone};
}

}  // namespace qb::risk
