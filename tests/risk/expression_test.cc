#include "risk/expression.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <vector>

namespace qb::risk {
namespace {

class RiskExpressionTest : public ::testing::Test {
 protected:
  RiskExpressionTest() {
    EXPECT_TRUE(schema_.Add("amount", ValueType::kInt).ok());              // slot 0
    EXPECT_TRUE(schema_.Add("customer.count_1h", ValueType::kInt).ok());   // slot 1
    EXPECT_TRUE(schema_.Add("device.accounts", ValueType::kInt).ok());     // slot 2
    EXPECT_TRUE(schema_.Add("customer.verified", ValueType::kBool).ok());  // slot 3
    EXPECT_TRUE(schema_.Add("channel", ValueType::kSymbol).ok());          // slot 4
    EXPECT_TRUE(schema_.Add("merchant.category", ValueType::kInt).ok());   // slot 5
    EXPECT_TRUE(schema_.Add("zero", ValueType::kInt).ok());                // slot 6
    features_.assign(schema_.size(), 0);
  }

  CompiledExpression MustCompile(const std::string& source) {
    CompiledExpression expression;
    const Status status = CompiledExpression::Compile(source, schema_, &symbols_, &expression);
    EXPECT_TRUE(status.ok()) << source << ": " << status.ToString();
    return expression;
  }

  // Compiles and evaluates against features_; a compile failure fails the test.
  EvalResult Run(const std::string& source) { return MustCompile(source).Evaluate(features_); }
  bool Fires(const std::string& source) {
    const EvalResult result = Run(source);
    EXPECT_EQ(result.error, EvalError::kNone) << source;
    return result.fired;
  }

  CompileError CompileFailure(const std::string& source) {
    CompiledExpression expression;
    CompileError error;
    const Status status =
        CompiledExpression::Compile(source, schema_, &symbols_, &expression, &error);
    EXPECT_FALSE(status.ok()) << source;
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(status.message(), error.ToString());
    return error;
  }

  FeatureSchema schema_;
  SymbolTable symbols_;
  std::vector<int64_t> features_;
};

TEST_F(RiskExpressionTest, ArithmeticPrecedenceAndAssociativity) {
  EXPECT_TRUE(Fires("1 + 2 * 3 == 7"));
  EXPECT_TRUE(Fires("(1 + 2) * 3 == 9"));
  EXPECT_TRUE(Fires("10 - 4 - 3 == 3"));  // left to right, not 10 - (4 - 3)
  EXPECT_TRUE(Fires("20 / 5 / 2 == 2"));
  EXPECT_TRUE(Fires("2 * 3 % 4 == 2"));  // (2 * 3) % 4
  EXPECT_TRUE(Fires("-2 * 3 == -6"));
  EXPECT_TRUE(Fires("- -5 == 5"));
  EXPECT_TRUE(Fires("1 - -1 == 2"));
  EXPECT_TRUE(Fires("7 % 3 == 1"));
  EXPECT_TRUE(Fires("-7 / 2 == -3"));  // truncates toward zero
  EXPECT_TRUE(Fires("-7 % 2 == -1"));
  EXPECT_FALSE(Fires("1 + 2 * 3 == 9"));
}

TEST_F(RiskExpressionTest, ComparisonsReadFeatures) {
  features_[0] = 50'000;
  EXPECT_TRUE(Fires("amount >= 50_000"));
  EXPECT_FALSE(Fires("amount > 50_000"));
  EXPECT_TRUE(Fires("amount <= 50000"));
  EXPECT_FALSE(Fires("amount < 50000"));
  EXPECT_TRUE(Fires("amount == 5_0_000"));
  EXPECT_FALSE(Fires("amount != 50000"));
  features_[1] = 6;
  features_[2] = 2;
  EXPECT_TRUE(Fires("customer.count_1h * 10000 > amount - 20000 * device.accounts"));
}

TEST_F(RiskExpressionTest, LogicalOperatorsAndTheirPrecedence) {
  EXPECT_TRUE(Fires("true or false and false"));  // and binds tighter: true or (false and false)
  EXPECT_FALSE(Fires("(true or false) and false"));
  EXPECT_TRUE(Fires("not 1 == 2"));  // not binds looser than a comparison: not (1 == 2)
  EXPECT_TRUE(Fires("not false and true"));
  EXPECT_FALSE(Fires("not (false or true)"));
  EXPECT_TRUE(Fires("not not true"));
  EXPECT_TRUE(Fires("!false && true"));
  EXPECT_TRUE(Fires("false || !false"));
  EXPECT_FALSE(Fires("true && false || false"));
  EXPECT_TRUE(Fires("true == true"));
  EXPECT_TRUE(Fires("(1 < 2) != (2 < 1)"));
}

TEST_F(RiskExpressionTest, BooleanFeaturesAreTrueWhenNonZero) {
  features_[3] = 0;
  EXPECT_FALSE(Fires("customer.verified"));
  EXPECT_TRUE(Fires("not customer.verified"));
  features_[3] = 7;  // any non-zero value is true, and compares equal to true
  EXPECT_TRUE(Fires("customer.verified"));
  EXPECT_TRUE(Fires("customer.verified == true"));
}

TEST_F(RiskExpressionTest, AndShortCircuitsBeforeADivisionByZero) {
  features_[0] = 100;
  features_[6] = 0;
  // Without short-circuiting the right side would divide by zero.
  EXPECT_EQ(Run("amount / zero > 1").error, EvalError::kDivisionByZero);
  const EvalResult guarded = Run("zero != 0 and amount / zero > 1");
  EXPECT_FALSE(guarded.fired);
  EXPECT_EQ(guarded.error, EvalError::kNone);
  const EvalResult either = Run("zero == 0 or amount / zero > 1");
  EXPECT_TRUE(either.fired);
  EXPECT_EQ(either.error, EvalError::kNone);
  // A longer chain keeps short-circuiting at each step.
  const EvalResult chain = Run("true and zero != 0 and amount % zero == 0 and true");
  EXPECT_FALSE(chain.fired);
  EXPECT_EQ(chain.error, EvalError::kNone);
  // When the left side does not decide, the right side runs and its error is reported.
  EXPECT_EQ(Run("zero == 0 and amount / zero > 1").error, EvalError::kDivisionByZero);
}

TEST_F(RiskExpressionTest, IntegerInLists) {
  features_[5] = 7995;
  EXPECT_TRUE(Fires("merchant.category in [5933, 7995, 7994]"));
  EXPECT_FALSE(Fires("merchant.category not in [5933, 7995, 7994]"));
  EXPECT_FALSE(Fires("merchant.category in [1, 2, 3]"));
  EXPECT_TRUE(Fires("merchant.category not in [1, 2, 3]"));
  EXPECT_TRUE(Fires("merchant.category + 5 in [8000]"));
  features_[5] = -3;
  EXPECT_TRUE(Fires("merchant.category in [-3, 3]"));
  EXPECT_TRUE(Fires("merchant.category in [3, 3, -3, -3]"));  // duplicates are harmless
}

TEST_F(RiskExpressionTest, LongListsAreSearchedCorrectly) {
  std::string list = "[";
  for (int i = 40; i >= 1; --i) list += std::to_string(i * 3) + (i > 1 ? ", " : "]");
  const CompiledExpression expression = MustCompile("merchant.category in " + list);
  for (int64_t value = -2; value <= 125; ++value) {
    features_[5] = value;
    const bool member = value >= 3 && value <= 120 && value % 3 == 0;
    EXPECT_EQ(expression.Evaluate(features_).fired, member) << value;
  }
}

TEST_F(RiskExpressionTest, StringInListsCompareInternedSymbols) {
  const CompiledExpression expression = MustCompile("channel in [\"QR\", \"NFC\"]");
  const int64_t qr = symbols_.Find("QR");
  const int64_t nfc = symbols_.Find("NFC");
  ASSERT_NE(qr, 0);
  ASSERT_NE(nfc, 0);
  EXPECT_NE(qr, nfc);
  const int64_t online = symbols_.Intern("ONLINE").value();
  features_[4] = qr;
  EXPECT_TRUE(expression.Evaluate(features_).fired);
  features_[4] = nfc;
  EXPECT_TRUE(expression.Evaluate(features_).fired);
  features_[4] = online;
  EXPECT_FALSE(expression.Evaluate(features_).fired);
  features_[4] = 0;  // unknown equals no string
  EXPECT_FALSE(expression.Evaluate(features_).fired);
  features_[4] = online;
  EXPECT_TRUE(Fires("channel == \"ONLINE\""));
  EXPECT_TRUE(Fires("channel != \"QR\""));
  EXPECT_TRUE(Fires("channel not in [\"QR\"]"));
  // Interning is stable: compiling again gives the same codes.
  EXPECT_EQ(symbols_.Find("QR"), qr);
  EXPECT_EQ(symbols_.Name(qr), "QR");
}

TEST_F(RiskExpressionTest, OverflowIsAnErrorNotUndefinedBehaviour) {
  features_[0] = INT64_MAX;
  EXPECT_EQ(Run("amount + 1 > 0").error, EvalError::kOverflow);
  EXPECT_EQ(Run("amount * 2 > 0").error, EvalError::kOverflow);
  EXPECT_EQ(Run("-amount - 2 < 0").error, EvalError::kOverflow);
  EXPECT_FALSE(Run("amount * 2 > 0").fired);
  EXPECT_TRUE(Fires("amount - 1 < amount"));
  features_[0] = INT64_MIN;
  EXPECT_EQ(Run("-amount > 0").error, EvalError::kOverflow);
  EXPECT_EQ(Run("amount / -1 > 0").error, EvalError::kOverflow);
  EXPECT_EQ(Run("amount - 1 < 0").error, EvalError::kOverflow);
  EXPECT_TRUE(Fires("amount % -1 == 0"));  // defined here, though INT64_MIN % -1 traps on x86
  EXPECT_EQ(Run("amount / zero == 0").error, EvalError::kDivisionByZero);
  EXPECT_EQ(Run("amount % zero == 0").error, EvalError::kDivisionByZero);
  EXPECT_FALSE(Run("amount % zero == 0").fired);
}

TEST_F(RiskExpressionTest, CompileErrorsNameTheColumn) {
  CompileError error = CompileFailure("amount > 10 and foo.bar < 3");
  EXPECT_EQ(error.column, 17);
  EXPECT_EQ(error.message, "unknown feature 'foo.bar'");
  EXPECT_EQ(error.ToString(), "column 17: unknown feature 'foo.bar'");

  error = CompileFailure("amount >");
  EXPECT_EQ(error.column, 9);
  EXPECT_NE(error.message.find("found the end"), std::string::npos) << error.message;

  error = CompileFailure("amount = 5");
  EXPECT_EQ(error.column, 8);
  EXPECT_NE(error.message.find("'=='"), std::string::npos) << error.message;

  error = CompileFailure("(amount > 1");
  EXPECT_EQ(error.column, 12);

  error = CompileFailure("amount > 1)");
  EXPECT_EQ(error.column, 11);

  error = CompileFailure("1 < amount < 3");
  EXPECT_EQ(error.column, 12);
  EXPECT_NE(error.message.find("do not chain"), std::string::npos) << error.message;

  EXPECT_EQ(CompileFailure("amount > 1.5").column, 10);
  EXPECT_EQ(CompileFailure("amount > 99999999999999999999").message,
            "integer literal out of range");
  EXPECT_EQ(CompileFailure("amount > 1_").message, "integer literal ends with '_'");
  EXPECT_EQ(CompileFailure("channel == \"QR").message, "unterminated string");
  EXPECT_EQ(CompileFailure("channel == \"\"").column, 12);
  EXPECT_EQ(CompileFailure("amount > 1 ; true").column, 12);
  EXPECT_EQ(CompileFailure("amount in []").column, 12);
  EXPECT_EQ(CompileFailure("").column, 1);
  EXPECT_EQ(CompileFailure("amount > \x01").message, "unexpected byte 0x01");
}

TEST_F(RiskExpressionTest, TypeErrors) {
  EXPECT_EQ(CompileFailure("amount").message,
            "a rule must be a condition (true or false), this is an expression of type integer");
  EXPECT_EQ(CompileFailure("amount and true").column, 1);
  EXPECT_EQ(CompileFailure("true and amount").column, 10);
  EXPECT_EQ(CompileFailure("not amount").column, 5);
  EXPECT_EQ(CompileFailure("customer.verified + 1 > 0").column, 1);
  EXPECT_EQ(CompileFailure("-true").column, 2);
  EXPECT_EQ(CompileFailure("channel > 1").column, 1);
  EXPECT_EQ(CompileFailure("channel == 1").column, 12);
  EXPECT_EQ(CompileFailure("amount in [\"QR\"]").column, 12);
  EXPECT_EQ(CompileFailure("channel in [1]").column, 13);
  EXPECT_EQ(CompileFailure("customer.verified in [1]").column, 1);
  EXPECT_EQ(CompileFailure("amount in [1, amount]").column, 15);  // lists hold constants
}

TEST_F(RiskExpressionTest, SchemaRejectsBadNames) {
  EXPECT_FALSE(schema_.Add("amount", ValueType::kInt).ok());  // duplicate
  EXPECT_FALSE(schema_.Add("", ValueType::kInt).ok());
  EXPECT_FALSE(schema_.Add("1abc", ValueType::kInt).ok());
  EXPECT_FALSE(schema_.Add("a..b", ValueType::kInt).ok());
  EXPECT_FALSE(schema_.Add("a.", ValueType::kInt).ok());
  EXPECT_FALSE(schema_.Add("in", ValueType::kInt).ok());
  EXPECT_FALSE(schema_.Add("customer.not", ValueType::kInt).ok());
  EXPECT_FALSE(schema_.Add(std::string(65, 'a'), ValueType::kInt).ok());
  uint32_t slot = 0;
  EXPECT_TRUE(schema_.Add("ip.count_1m", ValueType::kInt, &slot).ok());
  EXPECT_EQ(slot, 7u);
  EXPECT_EQ(schema_.Find("ip.count_1m")->slot, 7u);
  EXPECT_EQ(schema_.Find("nothing"), nullptr);
}

TEST_F(RiskExpressionTest, SourceLongerThanTheLimitIsRejected) {
  std::string source = "amount > 1" + std::string(CompiledExpression::kMaxSourceBytes, ' ');
  const CompileError error = CompileFailure(source);
  EXPECT_NE(error.message.find("longer than 4096 bytes"), std::string::npos) << error.message;
  // Exactly at the limit is fine.
  source.resize(CompiledExpression::kMaxSourceBytes);
  features_[0] = 2;
  EXPECT_TRUE(Fires(source));
}

TEST_F(RiskExpressionTest, NestingDeeperThanTheLimitIsRejected) {
  const auto nested = [](int depth) {
    return std::string(depth, '(') + "true" + std::string(depth, ')');
  };
  EXPECT_TRUE(Fires(nested(CompiledExpression::kMaxNestingDepth)));
  const CompileError error = CompileFailure(nested(CompiledExpression::kMaxNestingDepth + 1));
  EXPECT_EQ(error.column, CompiledExpression::kMaxNestingDepth + 1);
  EXPECT_NE(error.message.find("nested deeper"), std::string::npos) << error.message;
  // Prefix operators recurse too, and count toward the same limit.
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_NE(CompileFailure(nots + "true").message.find("nested deeper"), std::string::npos);
  EXPECT_NE(CompileFailure(std::string(1000, '-') + "1 > 0").message.find("nested deeper"),
            std::string::npos);
  EXPECT_NE(CompileFailure(std::string(3000, '(')).message.find("nested deeper"),
            std::string::npos);
}

TEST_F(RiskExpressionTest, TooManyInstructionsAreRejected) {
  std::string source = "1";
  for (int i = 0; i < 200; ++i) source += " + 1";
  const CompileError error = CompileFailure(source + " > 0");
  EXPECT_NE(error.message.find("more than 256 instructions"), std::string::npos) << error.message;
  // A deep right-leaning sum needs a value per level: bounded by the stack limit.
  std::string deep;
  for (int i = 0; i < 64; ++i) deep += "1 + (";
  deep += "1" + std::string(64, ')') + " > 0";
  EXPECT_NE(CompileFailure(deep).message.find("too complex"), std::string::npos);
}

TEST_F(RiskExpressionTest, ReferencedFeaturesAreListedOnceInOrder) {
  const CompiledExpression expression = MustCompile(
      "device.accounts > 3 and amount > 100 or device.accounts + amount > customer.count_1h");
  const std::vector<uint32_t> slots(expression.referenced_slots().begin(),
                                    expression.referenced_slots().end());
  EXPECT_EQ(slots, (std::vector<uint32_t>{2, 0, 1}));
  EXPECT_EQ(expression.feature_count(), 3u);
  // A constant expression reads nothing and accepts an empty feature array.
  const CompiledExpression constant = MustCompile("1 < 2");
  EXPECT_TRUE(constant.referenced_slots().empty());
  EXPECT_TRUE(constant.Evaluate({}).fired);
}

// `feature <op> constant` and `feature in [...]` compile to single fused instructions; the
// general stack code must agree with them on every value, extremes included.
TEST_F(RiskExpressionTest, FusedComparisonsAgreeWithTheGeneralForm) {
  EXPECT_EQ(MustCompile("amount > -5").instruction_count(), 1u);
  EXPECT_EQ(MustCompile("merchant.category in [1, 2]").instruction_count(), 1u);
  EXPECT_EQ(MustCompile("amount > 1 and amount < 9").instruction_count(), 3u);
  const char* const operators[] = {"==", "!=", "<", "<=", ">", ">="};
  const int64_t values[] = {INT64_MIN, -6, -5, -4, 0, 4, 5, 6, INT64_MAX};
  for (const char* op : operators) {
    const std::string constant = "-5";
    const CompiledExpression fused = MustCompile("amount " + std::string(op) + " " + constant);
    const CompiledExpression general =
        MustCompile("amount " + std::string(op) + " (" + constant + " + 0)");
    const CompiledExpression flipped = MustCompile("(" + constant + ") * 1 " + op + " amount");
    ASSERT_EQ(fused.instruction_count(), 1u);
    ASSERT_GT(general.instruction_count(), 1u);
    for (const int64_t value : values) {
      features_[0] = value;
      EXPECT_EQ(fused.Evaluate(features_).fired, general.Evaluate(features_).fired)
          << op << " " << value;
      // a op c is (c op' a) with the operator mirrored; checked here by brute force instead.
      const bool expected = std::string(op) == "=="   ? value == -5
                            : std::string(op) == "!=" ? value != -5
                            : std::string(op) == "<"  ? value < -5
                            : std::string(op) == "<=" ? value <= -5
                            : std::string(op) == ">"  ? value > -5
                                                      : value >= -5;
      EXPECT_EQ(fused.Evaluate(features_).fired, expected) << op << " " << value;
      const bool mirrored = std::string(op) == "=="   ? -5 == value
                            : std::string(op) == "!=" ? -5 != value
                            : std::string(op) == "<"  ? -5 < value
                            : std::string(op) == "<=" ? -5 <= value
                            : std::string(op) == ">"  ? -5 > value
                                                      : -5 >= value;
      EXPECT_EQ(flipped.Evaluate(features_).fired, mirrored) << op << " " << value;
    }
  }
  const CompiledExpression fused_list = MustCompile("merchant.category in [4, -5, 6]");
  const CompiledExpression general_list = MustCompile("merchant.category * 1 in [4, -5, 6]");
  for (const int64_t value : values) {
    features_[5] = value;
    EXPECT_EQ(fused_list.Evaluate(features_).fired, general_list.Evaluate(features_).fired);
  }
}

TEST_F(RiskExpressionTest, WhitespaceAndLayoutDoNotMatter) {
  features_[0] = 10;
  EXPECT_TRUE(Fires("amount>9&&amount<11"));
  EXPECT_TRUE(Fires("\tamount\n>\r\n9  and\namount < 11 "));
}

}  // namespace
}  // namespace qb::risk
