// Rule expressions as a risk analyst types them: compiling any text either fails with a column
// inside the text (or just past it) or gives a program that evaluates, on extreme feature values,
// without crashing, overflowing or reading outside the feature array.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "risk/expression.h"

namespace {

const qb::risk::FeatureSchema& Schema() {
  static const qb::risk::FeatureSchema schema = [] {
    qb::risk::FeatureSchema s;
    QB_ASSERT(s.Add("amount", qb::risk::ValueType::kInt).ok());
    QB_ASSERT(s.Add("customer.count_1h", qb::risk::ValueType::kInt).ok());
    QB_ASSERT(s.Add("customer.verified", qb::risk::ValueType::kBool).ok());
    QB_ASSERT(s.Add("device.accounts", qb::risk::ValueType::kInt).ok());
    QB_ASSERT(s.Add("channel", qb::risk::ValueType::kSymbol).ok());
    QB_ASSERT(s.Add("merchant.category", qb::risk::ValueType::kInt).ok());
    return s;
  }();
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  qb::risk::SymbolTable symbols;
  qb::risk::CompiledExpression expression;
  qb::risk::CompileError error;
  const qb::Status status =
      qb::risk::CompiledExpression::Compile(source, Schema(), &symbols, &expression, &error);
  if (!status.ok()) {
    QB_ASSERT(error.column >= 1 && static_cast<size_t>(error.column) <= size + 1);
    QB_ASSERT(!error.message.empty());
    return 0;
  }
  QB_ASSERT(size <= qb::risk::CompiledExpression::kMaxSourceBytes);
  QB_ASSERT(expression.instruction_count() <= qb::risk::CompiledExpression::kMaxInstructions);
  QB_ASSERT(expression.feature_count() <= Schema().size());
  for (const uint32_t slot : expression.referenced_slots()) QB_ASSERT(slot < Schema().size());

  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t probes[] = {0, 1, -1, 2, 100, kMin, kMax, kMin + 1, kMax - 1};
  // Exactly feature_count() values, so a read past the slots the program may use is an ASan
  // report.
  std::vector<int64_t> features(expression.feature_count());
  for (const int64_t probe : probes) {
    for (size_t i = 0; i < features.size(); ++i) {
      features[i] = static_cast<int64_t>(static_cast<uint64_t>(probe) + i);
    }
    const qb::risk::EvalResult result = expression.Evaluate(features);
    QB_ASSERT(result.error == qb::risk::EvalError::kNone || !result.fired);
    // Evaluation is a pure function of the features.
    const qb::risk::EvalResult again = expression.Evaluate(features);
    QB_ASSERT(again.fired == result.fired && again.error == result.error);
  }
  return 0;
}
