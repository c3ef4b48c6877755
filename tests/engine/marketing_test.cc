// The marketing commands (55 to 61, and 81 for custom lists) through the engine, and marketing in
// payments and refunds: one linked chain per payment, budgets that never go negative, exact
// reversals, coupons used once, and the same state after a restart.
// once, and the same state after a restart.
#include <gtest/gtest.h>

#include <limits>

#include "engine/state_machine_internal.h"
#include "marketing_fixture.h"

namespace qb::engine::testing {
namespace {

using marketing::CampaignStatus;
using marketing::CampaignType;
using marketing::CouponState;
using payments::PaymentState;

TEST_F(MarketingTest, CreatingACampaignFundsItsWholeBudget) {
  EXPECT_EQ(Marketing(CreateCampaign{staff_ + 99, MakeCampaign(CampaignType::kCashback, 5'000)}),
            Code(MarketingResult::kStaffNotFound));
  marketing::Campaign bad = MakeCampaign(CampaignType::kCashback, 0);
  EXPECT_EQ(Marketing(CreateCampaign{staff_, bad}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_INVALID_BUDGET:caps.budget_total_fen");
  // Nothing refused changed anything: no campaign, no marketing accounts.
  EXPECT_FALSE(FindAccount(kMarketingExpenseAccountId));

  uint64_t audit_seq = 0;
  Query([&](const StateMachine& s) { audit_seq = s.audit_chain().seq(); });
  EXPECT_EQ(Marketing(CreateCampaign{staff_, MakeCampaign(CampaignType::kCashback, 5'000)}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  // A staff action: audited.
  Query([&](const StateMachine& s) { EXPECT_EQ(s.audit_chain().seq(), audit_seq + 1); });
  EXPECT_EQ(Budget(1), 5'000);
  EXPECT_EQ(Expense(), -5'000);
  const ledger::Account budget = *FindAccount(kCampaignBudgetAccountBase + 1);
  EXPECT_EQ(budget.kind, static_cast<uint16_t>(ledger::AccountKind::kCampaignBudget));
  EXPECT_EQ(budget.flags, ledger::account_flags::kDebitsMustNotExceedCredits);
  EXPECT_EQ(CampaignOf(1).campaign.status, CampaignStatus::kDraft);
  ExpectLedgerSound();
}

TEST_F(MarketingTest, UpdatesKeepTheBudgetAndTransitionsFollowTheLifecycle) {
  const uint64_t id = StartCampaign(MakeCampaign(CampaignType::kInstantDiscount, 10'000));
  marketing::Campaign config = CampaignOf(id).campaign;
  config.name = "renamed";
  EXPECT_EQ(Marketing(UpdateCampaign{staff_, config}), Code(MarketingResult::kOk));
  EXPECT_EQ(CampaignOf(id).campaign.name, "renamed");
  EXPECT_EQ(CampaignOf(id).campaign.status, CampaignStatus::kLive);
  config.caps.budget_total_fen = 20'000;
  EXPECT_EQ(Marketing(UpdateCampaign{staff_, config}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_BUDGET_USE_TOP_UP:caps.budget_total_fen");
  config.id = 42;
  EXPECT_EQ(Marketing(UpdateCampaign{staff_, config}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_NOT_FOUND:id");
  EXPECT_EQ(Marketing(UpdateCampaign{staff_ + 9, config}), Code(MarketingResult::kStaffNotFound));

  EXPECT_EQ(Marketing(TransitionCampaign{staff_, id, CampaignStatus::kDraft}),
            Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_INVALID_TRANSITION");
  EXPECT_EQ(Marketing(TransitionCampaign{staff_, id, CampaignStatus::kPaused}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(Marketing(TransitionCampaign{staff_, id, CampaignStatus::kLive}),
            Code(MarketingResult::kOk));

  // Ending returns what was not spent to the marketing expense account.
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 500 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 50 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Budget(id), 9'500);
  EXPECT_EQ(Marketing(TransitionCampaign{staff_, id, CampaignStatus::kEnded}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 9'500u);
  EXPECT_EQ(Budget(id), 0);
  EXPECT_EQ(Expense(), -500);
  EXPECT_EQ(Marketing(TransitionCampaign{staff_, id, CampaignStatus::kEnded}),
            Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_INVALID_TRANSITION");
  // An ended campaign gives nothing.
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 50 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(2), PaymentMarketing{});
  ExpectLedgerSound();
}

TEST_F(MarketingTest, FundingComesFromTheBankOrACoFundingMerchant) {
  const uint64_t shop = Onboard("shop", 0);
  marketing::Campaign config = MakeCampaign(CampaignType::kInstantDiscount, 1'000);
  config.eligibility.merchant_ids = {shop};
  const uint64_t id = StartCampaign(config);
  EXPECT_EQ(Marketing(FundCampaign{0, staff_, id, 0, 100}), Code(MarketingResult::kInvalid));
  EXPECT_EQ(Marketing(FundCampaign{501, staff_, id, 0, 0}), Code(MarketingResult::kInvalid));
  EXPECT_EQ(Marketing(FundCampaign{501, staff_ + 9, id, 0, 100}),
            Code(MarketingResult::kStaffNotFound));
  EXPECT_EQ(Marketing(FundCampaign{501, staff_, id, shop + 9, 100}),
            Code(MarketingResult::kMerchantNotFound));
  EXPECT_EQ(Marketing(FundCampaign{501, staff_, id + 9, 0, 100}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_NOT_FOUND:id");
  // The merchant has nothing yet.
  EXPECT_EQ(Marketing(FundCampaign{501, staff_, id, shop, 100}),
            Code(MarketingResult::kInsufficientFunds));

  EXPECT_EQ(Marketing(FundCampaign{501, staff_, id, 0, 2'000}), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 3'000u);
  EXPECT_EQ(Marketing(FundCampaign{501, staff_, id, 0, 2'000}), Code(MarketingResult::kDuplicate));
  EXPECT_EQ(Budget(id), 3'000);
  EXPECT_EQ(Expense(), -3'000);
  EXPECT_EQ(CampaignOf(id).campaign.caps.budget_total_fen, 3'000);

  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 500 * kYuan);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MerchantBalance(shop), 100 * kYuan);
  EXPECT_EQ(Marketing(FundCampaign{502, staff_, id, shop, 40 * kYuan}), Code(MarketingResult::kOk));
  EXPECT_EQ(MerchantBalance(shop), 60 * kYuan);
  EXPECT_EQ(Budget(id), 2'500 + 40 * kYuan);

  // 7,000 put in (3,000 by the bank, 4,000 by the shop), 500 spent: of the 6,500 left the shop
  // gets ⌊6,500 × 4/7⌋ = 3,714 back, the bank the other 2,786.
  EXPECT_EQ(Marketing(TransitionCampaign{staff_, id, CampaignStatus::kEnded}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 6'500u);
  EXPECT_EQ(Budget(id), 0);
  EXPECT_EQ(MerchantBalance(shop), 60 * kYuan + 3'714);
  EXPECT_EQ(Expense(), -3'000 + 2'786);
  EXPECT_EQ(Marketing(FundCampaign{503, staff_, id, 0, 100}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_ENDED");
  ExpectLedgerSound();
}

TEST_F(MarketingTest, ACoFundedCampaignSharesItsCostInProportionToWhatEachPutIn) {
  const uint64_t shop1 = Onboard("shop1", 0);
  const uint64_t shop2 = Onboard("shop2", 0);
  const uint64_t elsewhere = Onboard("elsewhere", 0);
  marketing::Campaign config = MakeCampaign(CampaignType::kInstantDiscount, 3'000);
  config.eligibility.merchant_ids = {shop1, shop2};
  const uint64_t id = StartCampaign(config);
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  Fund(alice, 500 * kYuan);
  Fund(bob, 500 * kYuan);
  Fund(SignUp("13800138003"), 500 * kYuan);
  ASSERT_EQ(Result(ScanPay(1, alice, shop1, 100 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(2, bob, shop2, 100 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(3, bob, elsewhere, 100 * kYuan)), Code(PaymentResult::kOk));

  // A merchant the campaign does not apply at cannot pay for it.
  EXPECT_EQ(Marketing(FundCampaign{601, staff_, id, elsewhere, 1'000}),
            Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_COFUND_MERCHANT_NOT_TARGETED:merchant_id");
  ASSERT_EQ(Marketing(FundCampaign{602, staff_, id, shop1, 6'000}), Code(MarketingResult::kOk));
  ASSERT_EQ(Marketing(FundCampaign{603, staff_, id, shop2, 1'000}), Code(MarketingResult::kOk));
  // Once co-funded, the merchants it applies at stay as they were.
  marketing::Campaign wider = CampaignOf(id).campaign;
  wider.eligibility.merchant_ids.push_back(elsewhere);
  EXPECT_EQ(Marketing(UpdateCampaign{staff_, wider}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_COFUNDED_MERCHANTS_FIXED:eligibility.merchant_ids");

  ASSERT_EQ(Result(ScanPay(4, alice, shop1, 100 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(CampaignOf(id).spend.spent_total_fen, 1'500);
  EXPECT_EQ(MerchantBalance(shop1), 2 * 100 * kYuan - 6'000);
  EXPECT_EQ(MerchantBalance(shop2), 100 * kYuan - 1'000);

  // 10,000 put in: 3,000 by the bank, 6,000 by shop1, 1,000 by shop2. Of the 8,500 left,
  // shop1 gets ⌊8,500 × 0.6⌋ = 5,100, shop2 850 and the bank 2,550.
  ASSERT_EQ(Marketing(TransitionCampaign{staff_, id, CampaignStatus::kEnded}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 8'500u);
  EXPECT_EQ(Budget(id), 0);
  EXPECT_EQ(MerchantBalance(shop1), 2 * 100 * kYuan - 6'000 + 5'100);
  EXPECT_EQ(MerchantBalance(shop2), 100 * kYuan - 1'000 + 850);
  EXPECT_EQ(Expense(), -3'000 + 2'550);

  // A refund after the end gives payment 4's 500 back to the campaign, and from there on to its
  // funders: 9,000 returned in all now, so shop1 is owed 5,400 (+300), shop2 900 (+50), the
  // bank the other 150. The budget account keeps nothing.
  ASSERT_EQ(Result(Refund{604, shop1, 4, 95 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Budget(id), 0);
  EXPECT_EQ(CampaignOf(id).spend.spent_total_fen, 1'000);
  EXPECT_EQ(CampaignOf(id).campaign.caps.budget_total_fen, 1'000);
  EXPECT_EQ(MerchantBalance(shop1), 2 * 100 * kYuan - 6'000 + 5'100 - 100 * kYuan + 300);
  EXPECT_EQ(MerchantBalance(shop2), 100 * kYuan - 1'000 + 900);
  EXPECT_EQ(Expense(), -3'000 + 2'700);

  // Each side's share of the 1,000 spent: shop1 600, shop2 100, the bank 300.
  marketing::CoFunding funding;
  Query([&](const StateMachine& s) { funding = *s.co_funding().Find(id); });
  EXPECT_EQ(funding.total_fen, 10'000);
  EXPECT_EQ(funding.returned_fen, 9'000);
  ASSERT_EQ(funding.merchants.size(), 2u);
  EXPECT_EQ(funding.merchants[0],
            (marketing::CoFunder{std::min(shop1, shop2), shop1 < shop2 ? 6'000 : 1'000,
                                 shop1 < shop2 ? 5'400 : 900}));
  // What the shops got back is theirs at the next settlement: their unsettled money is their
  // balance (no fees here).
  for (const uint64_t shop : {shop1, shop2}) {
    int64_t unsettled = 0;
    Query([&](const StateMachine& s) {
      unsettled = s.payments().UnsettledUpTo(shop, std::numeric_limits<int32_t>::max());
    });
    EXPECT_EQ(unsettled, MerchantBalance(shop)) << "merchant " << shop;
  }
  ExpectLedgerSound();
  ExpectSameAfterRestart();
}

TEST_F(MarketingTest, CouponTemplatesClaimsAndIssues) {
  const uint64_t coupons = StartCampaign(MakeCampaign(CampaignType::kThresholdCoupon, 10'000));
  const uint64_t cashback = StartCampaign(MakeCampaign(CampaignType::kCashback, 10'000));
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  EXPECT_EQ(Marketing(CreateCouponTemplate{staff_ + 9, MakeThresholdTemplate(coupons, 50, 10)}),
            Code(MarketingResult::kStaffNotFound));
  EXPECT_EQ(Marketing(CreateCouponTemplate{staff_, MakeThresholdTemplate(cashback, 50, 10)}),
            Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_CAMPAIGN_MISMATCH:kind");
  marketing::CouponTemplate limited = MakeThresholdTemplate(coupons, 5'000, 1'000, 3);
  limited.per_customer_limit = 1;
  EXPECT_EQ(Marketing(CreateCouponTemplate{staff_, limited}), Code(MarketingResult::kOk));
  const uint64_t template_id = last_value_;

  EXPECT_EQ(Marketing(ClaimCoupon{bob + 9, template_id}), Code(MarketingResult::kCustomerNotFound));
  const uint64_t first = Claim(alice, template_id);
  EXPECT_EQ(CouponOf(first).customer_id, alice);
  EXPECT_EQ(Marketing(ClaimCoupon{alice, template_id}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_CLAIM_LIMIT");

  EXPECT_EQ(Marketing(IssueCoupons{staff_, template_id, {bob, bob + 9}}),
            Code(MarketingResult::kCustomerNotFound));
  EXPECT_EQ(Marketing(IssueCoupons{staff_ + 9, template_id, {bob}}),
            Code(MarketingResult::kStaffNotFound));
  EXPECT_EQ(Marketing(IssueCoupons{staff_, template_id, {bob, alice, bob}}),
            Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "COUPON_OUT_OF_STOCK");
  EXPECT_EQ(Marketing(IssueCoupons{staff_, template_id, {bob, alice}}), Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, first + 1);
  EXPECT_EQ(CouponOf(first + 1).customer_id, bob);
  EXPECT_EQ(CouponOf(first + 2).customer_id, alice);
  ExpectSameAfterRestart();
}

TEST_F(MarketingTest, ADiscountACouponAndCashbackAreOneLinkedChain) {
  const uint64_t instant = StartCampaign(MakeCampaign(CampaignType::kInstantDiscount, 10'000));
  const uint64_t coupons = StartCampaign(MakeCampaign(CampaignType::kThresholdCoupon, 10'000));
  const uint64_t cashback = StartCampaign(MakeCampaign(CampaignType::kCashback, 10'000));
  ASSERT_EQ(Marketing(CreateCouponTemplate{staff_, MakeThresholdTemplate(coupons, 5'000, 1'000)}),
            Code(MarketingResult::kOk));
  const uint64_t template_id = last_value_;
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);  // 1 %
  const uint64_t coupon = Claim(alice, template_id);

  // ¥100: 5.00 off, then the coupon's 10.00 off the 95.00 left, then 2 % of the 85.00 paid.
  ASSERT_EQ(Result(ScanPayWithCoupon(1, alice, shop, 100 * kYuan, coupon)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(1), (PaymentMarketing{coupon, 1'500, 170}));
  EXPECT_EQ(Balance(alice), 900 * kYuan - 8'500 + 170);
  EXPECT_EQ(MerchantBalance(shop), 100 * kYuan - 100);  // The fee is on the full amount.
  EXPECT_EQ(Budget(instant), 10'000 - 500);
  EXPECT_EQ(Budget(coupons), 10'000 - 1'000);
  EXPECT_EQ(Budget(cashback), 10'000 - 170);
  EXPECT_EQ(CouponOf(coupon).state, CouponState::kRedeemed);
  EXPECT_EQ(CouponOf(coupon).redeemed_by_payment, 1u);

  const std::vector<uint64_t> chain = {
      1, internal::DerivedId(1, "reward-0"), internal::DerivedId(1, "reward-1"),
      internal::DerivedId(1, "reward-2"), internal::DerivedId(1, "fee")};
  const std::vector<int64_t> amounts = {8'500, 500, 1'000, 170, 100};
  Query([&](const StateMachine& s) {
    for (size_t i = 0; i < chain.size(); i++) {
      const ledger::Transfer* t = s.ledger().FindTransfer(chain[i]);
      ASSERT_NE(t, nullptr) << i;
      EXPECT_EQ(t->amount, amounts[i]) << i;
      EXPECT_EQ((t->flags & ledger::transfer_flags::kLinked) != 0, i + 1 < chain.size()) << i;
    }
    EXPECT_EQ(s.ledger().FindTransfer(chain[3])->credit_account_id,
              kCustomerWalletAccountBase + alice);
    EXPECT_EQ(s.ledger().FindTransfer(chain[1])->code, ledger::transfer_codes::kCampaignDiscount);
    EXPECT_EQ(s.ledger().FindTransfer(chain[3])->code, ledger::transfer_codes::kCashback);
  });
  ExpectSameAfterRestart();
}

TEST_F(MarketingTest, ABudgetThatRunsOutNeverGoesNegativeAndPaymentsGoOnAtFullPrice) {
  const uint64_t id = StartCampaign(MakeCampaign(CampaignType::kInstantDiscount, 1'200));
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  const std::vector<int64_t> discounts = {500, 500, 200, 0, 0};
  int64_t balance = 900 * kYuan;
  for (uint64_t i = 0; i < discounts.size(); i++) {
    ASSERT_EQ(Result(ScanPay(i + 1, alice, shop, 20 * kYuan)), Code(PaymentResult::kOk));
    EXPECT_EQ(MarketingOf(i + 1).discount_fen, discounts[i]) << i;
    balance -= 20 * kYuan - discounts[i];
    EXPECT_EQ(Balance(alice), balance);
    EXPECT_GE(Budget(id), 0);
    EXPECT_EQ(MerchantBalance(shop), static_cast<int64_t>(i + 1) * 20 * kYuan);
  }
  EXPECT_EQ(Budget(id), 0);
  EXPECT_EQ(CampaignOf(id).spend.spent_total_fen, 1'200);
  ExpectLedgerSound();
}

TEST_F(MarketingTest, ABudgetAccountShortOfMoneyMeansFullPriceNotAFailedPayment) {
  const uint64_t id = StartCampaign(MakeCampaign(CampaignType::kInstantDiscount, 1'000));
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  // A raw transfer drains the budget account behind the campaign book's back.
  ledger::Transfer drain;
  drain.id = 7'777;
  drain.debit_account_id = kCampaignBudgetAccountBase + id;
  drain.credit_account_id = kMarketingExpenseAccountId;
  drain.amount = 800;
  drain.ledger = ledger::kLedgerCny;
  drain.code = ledger::transfer_codes::kCampaignRelease;
  ExecOk(CreateTransfers{{drain}});
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 20 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(1), PaymentMarketing{});
  EXPECT_EQ(Balance(alice), 880 * kYuan);
  EXPECT_EQ(Budget(id), 200);
  EXPECT_EQ(CampaignOf(id).spend.spent_total_fen, 0);
  ExpectLedgerSound();
}

TEST_F(MarketingTest, RefundsReverseExactlyAndRestoreTheCoupon) {
  const uint64_t instant = StartCampaign(MakeCampaign(CampaignType::kInstantDiscount, 10'000));
  const uint64_t coupons = StartCampaign(MakeCampaign(CampaignType::kThresholdCoupon, 10'000));
  const uint64_t cashback = StartCampaign(MakeCampaign(CampaignType::kCashback, 10'000));
  ASSERT_EQ(Marketing(CreateCouponTemplate{staff_, MakeThresholdTemplate(coupons, 5'000, 1'000)}),
            Code(MarketingResult::kOk));
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 100);
  const uint64_t coupon = Claim(alice, last_value_);
  ASSERT_EQ(Result(ScanPayWithCoupon(1, alice, shop, 100 * kYuan, coupon)),
            Code(PaymentResult::kOk));

  // The customer paid 85.00: that is what can be refunded.
  EXPECT_EQ(Result(Refund{50, shop, 1, 8'501}), Code(PaymentResult::kRefundExceedsPayment));
  // Half: half of every reward goes back, and half the fee.
  ASSERT_EQ(Result(Refund{50, shop, 1, 4'250}), Code(PaymentResult::kOk));
  EXPECT_EQ(Budget(instant), 10'000 - 250);
  EXPECT_EQ(Budget(coupons), 10'000 - 500);
  EXPECT_EQ(Budget(cashback), 10'000 - 85);
  EXPECT_EQ(Balance(alice), 900 * kYuan - 8'500 + 170 + 4'250 - 85);
  EXPECT_EQ(MerchantBalance(shop), 100 * kYuan - 100 - 4'250 - 750 + 50);
  EXPECT_EQ(CouponOf(coupon).state, CouponState::kRedeemed);
  ExpectLedgerSound();

  // An odd partial, then the rest: everything is back where it started.
  ASSERT_EQ(Result(Refund{51, shop, 1, 1'333}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{52, shop, 1, 2'917}), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).refunded_fen, 8'500);
  EXPECT_EQ(Budget(instant), 10'000);
  EXPECT_EQ(Budget(coupons), 10'000);
  EXPECT_EQ(Budget(cashback), 10'000);
  EXPECT_EQ(Balance(alice), 900 * kYuan);
  EXPECT_EQ(MerchantBalance(shop), 0);
  EXPECT_EQ(FeeIncome(), 0);
  EXPECT_EQ(CampaignOf(instant).spend.spent_total_fen, 0);
  EXPECT_EQ(CouponOf(coupon).state, CouponState::kAvailable);
  EXPECT_EQ(Result(Refund{53, shop, 1, 1}), Code(PaymentResult::kRefundExceedsPayment));
  // The discount the payment got stays on record.
  EXPECT_EQ(MarketingOf(1).discount_fen, 1'500);

  // The restored coupon works again.
  ASSERT_EQ(Result(ScanPayWithCoupon(2, alice, shop, 100 * kYuan, coupon)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(2).coupon_id, coupon);
  ExpectSameAfterRestart();
}

// A merchant refunds a payment after the customer closed the account: the closed wallet takes
// nothing, so the refund (less the cashback it takes back) waits in the customer's closed-refund
// account until support pays it out through the bank, never more than is owed.
TEST_F(MarketingTest, ARefundAfterTheWalletClosedWaitsForSupportToPayItOut) {
  const uint64_t cashback = StartCampaign(MakeCampaign(CampaignType::kCashback, 10'000));
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  Fund(alice, 100 * kYuan);
  const uint64_t shop = Onboard("shop", 100);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Balance(alice), 200);  // The 2 % cashback.
  // She withdraws the cashback and closes the account.
  CreateTransfers out;
  ledger::Transfer withdrawal;
  withdrawal.id = next_id_++;
  withdrawal.debit_account_id = kCustomerWalletAccountBase + alice;
  withdrawal.credit_account_id = kBankClearingAccountId;
  withdrawal.amount = 200;
  withdrawal.ledger = ledger::kLedgerCny;
  withdrawal.code = ledger::transfer_codes::kWithdrawal;
  out.transfers.push_back(withdrawal);
  ASSERT_EQ(engine_->Execute(std::move(out)).results.at(0), 0);
  clock_.Advance(61 * kSecond);  // One code a minute per phone: the sign-up had one.
  ASSERT_EQ(Result(IssueOtp{"13800138001", identity::OtpPurpose::kCloseAccount, "close"}),
            Code(identity::IdentityResult::kOk));
  ASSERT_EQ(Result(CloseCustomer{alice, "close"}), Code(identity::IdentityResult::kOk));
  const uint64_t owed_account = kClosedRefundAccountBase + alice;
  EXPECT_FALSE(FindAccount(owed_account).has_value());
  EXPECT_EQ(Result(PayOutClosedRefund{staff_, alice, 900, 1, "ref"}),
            Code(PaymentResult::kInsufficientFunds));  // Nothing is owed yet.

  // ¥40 back: the cashback's share (80) returns to the budget from what the refund brings.
  ASSERT_EQ(Result(Refund{50, shop, 1, 40 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(FindAccount(owed_account)->CreditBalance(), 40 * kYuan - 80);
  EXPECT_EQ(Budget(cashback), 10'000 - 200 + 80);
  EXPECT_TRUE(FindAccount(kCustomerWalletAccountBase + alice)->flags &
              ledger::account_flags::kClosed);
  EXPECT_EQ(FindAccount(kCustomerWalletAccountBase + alice)->CreditBalance(), 0);
  // The rest of the payment, in a second refund.
  ASSERT_EQ(Result(Refund{51, shop, 1, 60 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(FindAccount(owed_account)->CreditBalance(), 100 * kYuan - 200);
  EXPECT_EQ(Budget(cashback), 10'000);
  EXPECT_EQ(MerchantBalance(shop), 0);
  ExpectLedgerSound();

  // Support pays it out: checked fields, closed customers only, never more than owed, once.
  const int64_t owed = 100 * kYuan - 200;
  EXPECT_EQ(Result(PayOutClosedRefund{staff_, alice, 900, 0, "ref"}),
            Code(PaymentResult::kInvalid));
  EXPECT_EQ(Result(PayOutClosedRefund{staff_, alice, 900, owed, ""}),
            Code(PaymentResult::kInvalid));
  EXPECT_EQ(Result(PayOutClosedRefund{staff_, alice, 900, owed, std::string(65, 'x')}),
            Code(PaymentResult::kInvalid));
  EXPECT_EQ(Result(PayOutClosedRefund{staff_ + 99, alice, 900, owed, "ref"}),
            Code(PaymentResult::kStaffNotFound));
  EXPECT_EQ(Result(PayOutClosedRefund{staff_, bob, 900, 1, "ref"}),
            Code(PaymentResult::kCustomerNotFound));  // Bob's wallet is open.
  EXPECT_EQ(Result(PayOutClosedRefund{staff_, alice, 900, owed + 1, "ref"}),
            Code(PaymentResult::kInsufficientFunds));
  ASSERT_EQ(Result(PayOutClosedRefund{staff_, alice, 900, 5'000, "ICBC-1"}),
            Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, static_cast<uint64_t>(owed - 5'000));  // Still owed.
  EXPECT_EQ(Result(PayOutClosedRefund{staff_, alice, 900, 1, "ICBC-1"}),
            Code(PaymentResult::kDuplicate));
  ASSERT_EQ(Result(PayOutClosedRefund{staff_, alice, 901, owed - 5'000, "ICBC-2"}),
            Code(PaymentResult::kOk));
  EXPECT_EQ(last_value_, 0u);
  EXPECT_EQ(FindAccount(owed_account)->CreditBalance(), 0);
  Query([&](const StateMachine& s) {
    EXPECT_EQ(s.ledger().FindTransfer(901)->code, ledger::transfer_codes::kClosedRefundPayout);
    EXPECT_EQ(s.ledger().FindTransfer(901)->credit_account_id, kBankClearingAccountId);
  });
  ExpectSameAfterRestart();
}

// Cashback held for a week: pending in the wallet (not spendable), posted by the sweep once the
// week is over; a refund during the hold voids its share and holds the rest; a refund after
// the release time claws back from the wallet, releasing first if the sweep has not run yet.
// The budget account always equals budget − spent, across a checkpoint restart too.
TEST_F(MarketingTest, HeldCashbackIsPendingUntilReleasedAndARefundVoidsItsShare) {
  constexpr int64_t kWeek = 7 * kDaySeconds;
  marketing::Campaign config = MakeCampaign(CampaignType::kCashback, 10'000);
  config.rule.hold_seconds = kWeek;
  const uint64_t cashback = StartCampaign(config);
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t wallet = kCustomerWalletAccountBase + alice;
  const uint64_t budget = kCampaignBudgetAccountBase + cashback;
  auto pending_in = [&] { return FindAccount(wallet)->credits_pending; };
  auto sweep = [&] {
    EXPECT_EQ(Result(ReleaseCashback{}), 0);
    return last_value_;
  };
  auto budget_mirrors_book = [&] {
    const ledger::Account b = *FindAccount(budget);
    const marketing::CampaignState c = CampaignOf(cashback);
    EXPECT_EQ(b.credits_posted - b.debits_posted - b.debits_pending,
              c.campaign.caps.budget_total_fen - c.spend.spent_total_fen);
  };

  ASSERT_EQ(Result(ScanPay(1, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 700 * kYuan);  // Nothing to spend yet.
  EXPECT_EQ(pending_in(), 400);
  EXPECT_EQ(MarketingOf(1).cashback_fen, 200);
  EXPECT_EQ(CampaignOf(cashback).spend.spent_total_fen, 400);
  budget_mirrors_book();
  EXPECT_EQ(sweep(), 0u);

  // Half of payment 1 back during the hold: its hold of 200 becomes one of 100.
  ASSERT_EQ(Result(Refund{50, shop, 1, 50 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 750 * kYuan);
  EXPECT_EQ(pending_in(), 300);
  EXPECT_EQ(CampaignOf(cashback).spend.spent_total_fen, 300);
  budget_mirrors_book();
  // Payment 3, refunded in full during the hold: nothing of it is left to release.
  ASSERT_EQ(Result(ScanPay(3, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{51, shop, 3, 10 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(pending_in(), 300);
  budget_mirrors_book();
  ExpectSameAfterRestart();  // The holds waiting are found again from the checkpoint.

  // One second short of the week: still held. Then both holds are posted.
  clock_.Advance((kWeek - 1) * kSecond);
  EXPECT_EQ(sweep(), 0u);
  clock_.Advance(kSecond);
  EXPECT_EQ(sweep(), 2u);
  EXPECT_EQ(sweep(), 0u);
  EXPECT_EQ(pending_in(), 0);
  EXPECT_EQ(Balance(alice), 750 * kYuan + 300);
  budget_mirrors_book();

  // After the release, a refund claws the share back from the wallet.
  ASSERT_EQ(Result(Refund{52, shop, 2, 100 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 850 * kYuan + 100);
  // Payment 4's hold is past its release time when the refund comes, before any sweep: the
  // refund releases it, then takes its share back.
  ASSERT_EQ(Result(ScanPay(4, alice, shop, 100 * kYuan)), Code(PaymentResult::kOk));
  clock_.Advance((kWeek + 60) * kSecond);
  ASSERT_EQ(Result(Refund{53, shop, 4, 100 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(pending_in(), 0);
  EXPECT_EQ(sweep(), 0u);
  ASSERT_EQ(Result(Refund{54, shop, 1, 50 * kYuan}), Code(PaymentResult::kOk));
  EXPECT_EQ(Balance(alice), 900 * kYuan);
  EXPECT_EQ(Budget(cashback), 10'000);
  EXPECT_EQ(CampaignOf(cashback).spend.spent_total_fen, 0);
  budget_mirrors_book();
  ExpectSameAfterRestart();
}

TEST_F(MarketingTest, ACouponIsRedeemedOnce) {
  const uint64_t coupons = StartCampaign(MakeCampaign(CampaignType::kThresholdCoupon, 10'000));
  ASSERT_EQ(Marketing(CreateCouponTemplate{staff_, MakeThresholdTemplate(coupons, 1'000, 300)}),
            Code(MarketingResult::kOk));
  const uint64_t template_id = last_value_;
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  Fund(alice, 500 * kYuan);
  Fund(bob, 500 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t coupon = Claim(alice, template_id);
  // Not Bob's to use: he pays full price.
  ASSERT_EQ(Result(ScanPayWithCoupon(1, bob, shop, 20 * kYuan, coupon)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(1), PaymentMarketing{});
  ASSERT_EQ(Result(ScanPayWithCoupon(2, alice, shop, 20 * kYuan, coupon)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(2), (PaymentMarketing{coupon, 300, 0}));
  ASSERT_EQ(Result(ScanPayWithCoupon(3, alice, shop, 20 * kYuan, coupon)),
            Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(3), PaymentMarketing{});
  EXPECT_EQ(Balance(alice), 500 * kYuan - 4'000 + 300);
  EXPECT_EQ(Budget(coupons), 10'000 - 300);
}

TEST_F(MarketingTest, AHeldPaymentGetsItsCouponWhenConfirmed) {
  const uint64_t coupons = StartCampaign(MakeCampaign(CampaignType::kThresholdCoupon, 10'000));
  ASSERT_EQ(Marketing(CreateCouponTemplate{staff_, MakeThresholdTemplate(coupons, 1'000, 300)}),
            Code(MarketingResult::kOk));
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 500 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  const uint64_t coupon = Claim(alice, last_value_);
  ASSERT_EQ(Result(RegisterPaymentDevice{alice, 5, "sealed"}), Code(PaymentResult::kOk));
  Pay pay = CodePay(1, 5, CurrentStep(), shop, 50 * kYuan);
  pay.coupon_id = coupon;
  ASSERT_EQ(Result(pay), Code(PaymentResult::kOk));
  EXPECT_EQ(PaymentOf(1).state, PaymentState::kAwaitingConfirmation);
  EXPECT_EQ(MarketingOf(1), (PaymentMarketing{coupon, 0, 0}));
  EXPECT_EQ(CouponOf(coupon).state, CouponState::kAvailable);
  ASSERT_EQ(Result(ConfirmPayment{alice, 1, true, {}}), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(1), (PaymentMarketing{coupon, 300, 0}));
  EXPECT_EQ(Balance(alice), 500 * kYuan - 50 * kYuan + 300);
  EXPECT_EQ(FindAccount(kCustomerWalletAccountBase + alice)->debits_pending, 0);
  EXPECT_EQ(MerchantBalance(shop), 50 * kYuan);
  EXPECT_EQ(CouponOf(coupon).state, CouponState::kRedeemed);
  ExpectSameAfterRestart();
}

TEST_F(MarketingTest, FirstOrderCountsPaymentsMadeBeforeMarketingStarted) {
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  Fund(alice, 500 * kYuan);
  Fund(bob, 500 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  StartCampaign(MakeCampaign(CampaignType::kFirstOrder, 10'000));
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(2), PaymentMarketing{});
  ASSERT_EQ(Result(ScanPay(3, bob, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(3).discount_fen, 500);
  ASSERT_EQ(Result(ScanPay(4, bob, shop, 10 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(4), PaymentMarketing{});
  ExpectSameAfterRestart();
}

TEST_F(MarketingTest, ACampaignOnACustomListRewardsItsMembersAsTheListChanges) {
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  Fund(alice, 500 * kYuan);
  Fund(bob, 500 * kYuan);
  const uint64_t shop = Onboard("shop", 0);
  // A list may come before any campaign; it is kept (checkpoint and journal) all the same.
  const Digest empty = Hash();
  ASSERT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kCreate, 0, "老客", {}}),
            Code(MarketingResult::kOk));
  const auto list = static_cast<uint32_t>(last_value_);
  EXPECT_NE(Hash(), empty);
  ASSERT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kAdd, list, "", {alice, 999}}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 1u);  // 999 is nobody
  ExpectSameAfterRestart();
  EngineOptions replay;
  replay.checkpoint_on_stop = false;
  const Digest with_list = Hash();
  Restart(replay);
  EXPECT_EQ(Hash(), with_list);

  // Malformed edits and refusals.
  EXPECT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kCreate, list, "x", {}}),
            Code(MarketingResult::kInvalid));
  EXPECT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kAdd, list, "", {}}),
            Code(MarketingResult::kInvalid));
  EXPECT_EQ(Marketing(EditCustomerList{staff_ + 99, CustomerListOp::kDelete, list, "", {}}),
            Code(MarketingResult::kStaffNotFound));
  EXPECT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kAdd, list + 1, "", {bob}}),
            Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CUSTOMER_LIST_NOT_FOUND");

  marketing::Campaign config = MakeCampaign(CampaignType::kInstantDiscount, 10'000);
  config.eligibility.customer_list = list + 64;  // no such list
  EXPECT_EQ(Marketing(CreateCampaign{staff_, config}), Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CAMPAIGN_INVALID_TARGETING:eligibility.customer_list");
  config.eligibility.customer_list = list;
  const uint64_t id = StartCampaign(config);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 20 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(2, bob, shop, 20 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(1).discount_fen, 500);
  EXPECT_EQ(MarketingOf(2).discount_fen, 0);
  // Bob joins and Alice leaves: the next payments follow.
  ASSERT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kAdd, list, "", {bob}}),
            Code(MarketingResult::kOk));
  ASSERT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kRemove, list, "", {alice}}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(last_value_, 1u);
  ASSERT_EQ(Result(ScanPay(3, alice, shop, 20 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(4, bob, shop, 20 * kYuan)), Code(PaymentResult::kOk));
  EXPECT_EQ(MarketingOf(3).discount_fen, 0);
  EXPECT_EQ(MarketingOf(4).discount_fen, 500);
  EXPECT_EQ(Balance(alice), 500 * kYuan - 40 * kYuan + 500);
  EXPECT_EQ(Balance(bob), 500 * kYuan - 40 * kYuan + 500);
  EXPECT_EQ(CampaignOf(id).spend.spent_total_fen, 1'000);
  ExpectLedgerSound();

  // The list stays while the campaign may pay; after its end it can go.
  EXPECT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kDelete, list, "", {}}),
            Code(MarketingResult::kRefused));
  EXPECT_EQ(last_text_, "CUSTOMER_LIST_IN_USE");
  ASSERT_EQ(Marketing(TransitionCampaign{staff_, id, marketing::CampaignStatus::kEnded}),
            Code(MarketingResult::kOk));
  EXPECT_EQ(Marketing(EditCustomerList{staff_, CustomerListOp::kDelete, list, "", {}}),
            Code(MarketingResult::kOk));
  ExpectSameAfterRestart();
  const Digest after = Hash();
  Restart(replay);
  EXPECT_EQ(Hash(), after);
}

TEST_F(MarketingTest, ReplayAndCheckpointGiveTheSameState) {
  const uint64_t instant = StartCampaign(MakeCampaign(CampaignType::kInstantDiscount, 10'000));
  const uint64_t coupons = StartCampaign(MakeCampaign(CampaignType::kThresholdCoupon, 10'000));
  StartCampaign(MakeCampaign(CampaignType::kCashback, 10'000));
  marketing::Campaign random = MakeCampaign(CampaignType::kInstantDiscount, 10'000);
  random.rule.shape = marketing::AmountShape::kRandomRange;
  random.rule.random_lo_fen = 1;
  random.rule.random_hi_fen = 99;
  StartCampaign(random);
  ASSERT_EQ(Marketing(CreateCouponTemplate{staff_, MakeThresholdTemplate(coupons, 1'000, 300)}),
            Code(MarketingResult::kOk));
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 900 * kYuan);
  const uint64_t shop = Onboard("shop", 60);
  const uint64_t coupon = Claim(alice, last_value_);
  ASSERT_EQ(Result(ScanPayWithCoupon(1, alice, shop, 30 * kYuan, coupon)),
            Code(PaymentResult::kOk));
  ASSERT_EQ(Result(ScanPay(2, alice, shop, 40 * kYuan)), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{10, shop, 1, 700}), Code(PaymentResult::kOk));
  ASSERT_EQ(Marketing(FundCampaign{900, staff_, instant, 0, 5'000}), Code(MarketingResult::kOk));
  ExpectLedgerSound();
  const Digest before = Hash();
  // From the journal alone.
  EngineOptions replay;
  replay.checkpoint_on_stop = false;
  Restart(replay);
  EXPECT_EQ(Hash(), before);
  // From a checkpoint.
  Restart(EngineOptions());
  Restart(EngineOptions());
  EXPECT_EQ(Hash(), before);
  // And the checkpoint bytes load back to the same state, marketing trailer included.
  Query([&](const StateMachine& s) {
    std::string bytes;
    s.Serialize(&bytes);
    StateMachine copy;
    ASSERT_TRUE(copy.Deserialize(bytes));
    EXPECT_EQ(copy.StateHash(), before);
    EXPECT_TRUE(copy.campaigns() == s.campaigns());
    EXPECT_EQ(*copy.FindPaymentMarketing(1), *s.FindPaymentMarketing(1));
    // Cut short or with a byte too many, it is refused.
    StateMachine bad;
    EXPECT_FALSE(bad.Deserialize(bytes.substr(0, bytes.size() - 1)));
    EXPECT_FALSE(bad.Deserialize(bytes + '\0'));
  });
}

TEST_F(MarketingTest, AStateWithoutMarketingHasNoMarketingTrailer) {
  const uint64_t alice = SignUp("13800138001");
  Fund(alice, 500 * kYuan);
  const uint64_t shop = Onboard("shop", 60);
  ASSERT_EQ(Result(ScanPay(1, alice, shop, 30 * kYuan)), Code(PaymentResult::kOk));
  Query([&](const StateMachine& s) {
    std::string bytes;
    s.Serialize(&bytes);
    StateMachine copy;
    ASSERT_TRUE(copy.Deserialize(bytes));
    EXPECT_TRUE(copy.campaigns().campaigns().empty());
    EXPECT_EQ(copy.StateHash(), s.StateHash());
    // Payments without campaigns leave no marketing record: nothing new to serialize or hash.
    EXPECT_EQ(s.FindPaymentMarketing(1), nullptr);
    EXPECT_EQ(s.campaigns().payment_count(), 0u);
    // A marketing trailer is accepted only with a campaign in it: an empty one would be a
    // second encoding of this state. Built by hand after empty devices and device-key
    // trailers (the state has an audit trailer, from staff and merchant actions).
    auto with_trailer = [&](const marketing::CampaignBook& book) {
      std::string out = bytes;
      ByteWriter writer(&out);
      std::string devices;
      ByteWriter devices_writer(&devices);
      identity::KnownDevices().Serialize(&devices_writer);
      writer.U64(devices.size());
      writer.Bytes(devices);
      std::string keys;
      mfa::DeviceKeyBook().Serialize(&keys);
      writer.U64(keys.size());
      writer.Bytes(keys);
      std::string marketing;
      ByteWriter marketing_writer(&marketing);
      std::string book_bytes;
      book.Serialize(&book_bytes);
      marketing_writer.U64(book_bytes.size());
      marketing_writer.Bytes(book_bytes);
      for (int i = 0; i < 3; i++) marketing_writer.U64(0);
      writer.U64(marketing.size());
      writer.Bytes(marketing);
      return out;
    };
    StateMachine loaded;
    EXPECT_FALSE(loaded.Deserialize(with_trailer(marketing::CampaignBook())));
    marketing::CampaignBook one;
    uint64_t id = 0;
    ASSERT_TRUE(one.CreateCampaign(MakeCampaign(CampaignType::kCashback, 100), &id).ok());
    EXPECT_TRUE(loaded.Deserialize(with_trailer(one)));
    EXPECT_EQ(loaded.campaigns().campaigns().size(), 1u);
  });
}

}  // namespace
}  // namespace qb::engine::testing
