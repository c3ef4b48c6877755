#include "bank/bank_gateway.h"

#include <gtest/gtest.h>

#include <string>

namespace qb::bank {
namespace {

TEST(BankGatewayTest, ValidatesRequestFields) {
  EXPECT_EQ(ValidateRequestFields("req-1", "tok_abc", 100, "CNY"), BankResultCode::kApproved);
  EXPECT_EQ(ValidateRequestFields("", "tok_abc", 100, "CNY"), BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields(std::string(65, 'r'), "tok", 100, "CNY"),
            BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req 1", "tok", 100, "CNY"), BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req-1", "", 100, "CNY"), BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req-1", "tok", 0, "CNY"), BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req-1", "tok", -5, "CNY"), BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req-1", "tok", 100, "USD"), BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req-1", "tok", 100, "cny"), BankResultCode::kInvalidRequest);
}

TEST(BankGatewayTest, RefusesAPanAsCardToken) {
  EXPECT_EQ(ValidateRequestFields("req-1", "6222021234567890123", 100, "CNY"),
            BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req-1", "622202123456", 100, "CNY"),
            BankResultCode::kInvalidRequest);
  EXPECT_EQ(ValidateRequestFields("req-1", "12345678901", 100, "CNY"), BankResultCode::kApproved);
}

TEST(BankGatewayTest, ResultCodeNamesAreStable) {
  EXPECT_EQ(BankResultCodeName(BankResultCode::kApproved), "approved");
  EXPECT_EQ(BankResultCodeName(BankResultCode::kDeclinedInsufficientFunds),
            "declined_insufficient_funds");
  EXPECT_EQ(BankResultCodeName(BankResultCode::kTimeout), "timeout");
  EXPECT_EQ(BankResultCodeName(BankResultCode::kUnavailable), "unavailable");
}

}  // namespace
}  // namespace qb::bank
