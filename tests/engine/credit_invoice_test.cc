// Red-letter invoices (红字发票) in the engine: RecordCreditInvoice records one per refund of an
// invoiced payment, for exactly the refund's amount and against the payment's blue invoice. The
// record survives journal replay and checkpoints, and a book without any serializes (and hashes)
// as it did before they existed.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "engine/command_codec.h"
#include "engine_test_util.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using testing::CustomerEngineTest;

constexpr int64_t kYuan = 100;
constexpr char kBlueNumber[] = "26310000000000000001";

class CreditInvoiceTest : public CustomerEngineTest {
 protected:
  static uint8_t Code(PaymentResult r) { return static_cast<uint8_t>(r); }
  using CustomerEngineTest::Code;

  void SetUp() override {
    CustomerEngineTest::SetUp();
    OpenEngine();
    ASSERT_EQ(Result(CreateStaff{{"admin", "Admin", "argon2", identity::kAllStaffRoles}}),
              Code(IdentityResult::kOk));
    const uint64_t staff = last_value_;
    alice_ = SignUp("13800138001");
    Fund(alice_, 500 * kYuan);
    payments::MerchantProfile profile;
    profile.legal_name = "小店";
    profile.credit_code = "91350100M000100Y43";
    profile.category = "catering";
    profile.settlement_bank_code = "ICBC";
    profile.settlement_account_sealed = "sealed";
    profile.settlement_account_last4 = "1234";
    ASSERT_EQ(Result(ApplyMerchant{profile, {"shop", "shop", "argon2", 0}, staff, true}),
              Code(PaymentResult::kOk));
    shop_ = last_value_;
    ASSERT_EQ(Result(ScanPay(1, 100 * kYuan)), Code(PaymentResult::kOk));
    ASSERT_EQ(Result(ScanPay(2, 50 * kYuan)), Code(PaymentResult::kOk));
  }

  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "h" + phone}),
              Code(IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "h" + phone, "argon2", "campus", ""}}),
              Code(IdentityResult::kOk));
    return last_value_;
  }

  void Fund(uint64_t customer, int64_t amount_fen) {
    ledger::Account clearing;
    clearing.id = kBankClearingAccountId;
    clearing.ledger = ledger::kLedgerCny;
    clearing.kind = static_cast<uint16_t>(ledger::AccountKind::kBankClearing);
    ASSERT_EQ(engine_->Execute(CreateAccounts{{clearing}}).results.at(0), 0);
    CreateTransfers t;
    ledger::Transfer transfer;
    transfer.id = 900;
    transfer.debit_account_id = kBankClearingAccountId;
    transfer.credit_account_id = kCustomerWalletAccountBase + customer;
    transfer.amount = amount_fen;
    transfer.ledger = ledger::kLedgerCny;
    transfer.code = ledger::transfer_codes::kTopUp;
    t.transfers.push_back(transfer);
    ASSERT_EQ(engine_->Execute(std::move(t)).results.at(0), 0);
  }

  Pay ScanPay(uint64_t id, int64_t amount) {
    Pay pay;
    pay.payment_id = id;
    pay.customer_id = alice_;
    pay.merchant_id = shop_;
    pay.amount_fen = amount;
    pay.channel = payments::PaymentChannel::kStaticQr;
    return pay;
  }

  InvoiceRow Blue(uint64_t payment_id, const std::string& number) {
    InvoiceRow row;
    row.number = number;
    row.payment_id = payment_id;
    row.merchant_id = shop_;
    row.customer_id = alice_;
    row.buyer_title = "张三";
    row.seller_name = "小店";
    row.seller_tax_id = "91350100M000100Y43";
    row.item_name = "*餐饮服务*餐费";
    row.amount_fen = 100 * kYuan;
    row.tax_fen = 566;
    row.tax_rate_bp = 600;
    row.issued_ns = clock_.NowNs();
    row.issued_locally = true;
    return row;
  }

  RecordCreditInvoice Red(uint64_t refund_id, int64_t amount_fen, const std::string& number,
                          uint64_t payment_id = 1) {
    CreditInvoiceRow row;
    row.number = number;
    row.refund_id = refund_id;
    row.payment_id = payment_id;
    row.original_number = kBlueNumber;
    row.merchant_id = shop_;
    row.customer_id = alice_;
    row.amount_fen = amount_fen;
    row.tax_fen = 170;
    row.tax_rate_bp = 600;
    row.issued_ns = clock_.NowNs();
    row.issued_locally = true;
    return RecordCreditInvoice{refund_id, row};
  }

  const std::string* CreditOf(uint64_t refund_id) {
    const std::string* found = nullptr;
    static std::string copy;
    Query([&](const StateMachine& s) {
      if (const std::string* n = s.payments().FindCreditInvoiceOf(refund_id)) {
        copy = *n;
        found = &copy;
      }
    });
    return found;
  }

  uint64_t alice_ = 0;
  uint64_t shop_ = 0;
};

TEST_F(CreditInvoiceTest, OnePerRefundForTheRefundedAmountAgainstTheBlueInvoice) {
  ASSERT_EQ(Result(RecordInvoice{alice_, Blue(1, kBlueNumber)}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{10, shop_, 1, 30 * kYuan}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{11, shop_, 1, 20 * kYuan}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{20, shop_, 2, 5 * kYuan}), Code(PaymentResult::kOk));

  // Unknown refund, a transfer that is no refund, a refund of another payment.
  EXPECT_EQ(Result(Red(99, 30 * kYuan, "26310000000000000002")),
            Code(PaymentResult::kPaymentNotFound));
  EXPECT_EQ(Result(Red(900, 30 * kYuan, "26310000000000000002")),
            Code(PaymentResult::kPaymentNotFound));
  EXPECT_EQ(Result(Red(20, 5 * kYuan, "26310000000000000002")),
            Code(PaymentResult::kPaymentNotFound));
  // Payment 2 has no blue invoice.
  EXPECT_EQ(Result(Red(20, 5 * kYuan, "26310000000000000002", 2)),
            Code(PaymentResult::kPaymentNotFound));
  // Not the refund's amount; not the blue invoice's number; malformed.
  EXPECT_EQ(Result(Red(10, 20 * kYuan, "26310000000000000002")),
            Code(PaymentResult::kAmountMismatch));
  RecordCreditInvoice other_blue = Red(10, 30 * kYuan, "26310000000000000002");
  other_blue.invoice.original_number = "26310000000000000009";
  EXPECT_EQ(Result(other_blue), Code(PaymentResult::kInvalid));
  RecordCreditInvoice mismatched_id = Red(10, 30 * kYuan, "26310000000000000002");
  mismatched_id.refund_id = 11;
  EXPECT_EQ(Result(mismatched_id), Code(PaymentResult::kInvalid));
  RecordCreditInvoice other_customer = Red(10, 30 * kYuan, "26310000000000000002");
  other_customer.invoice.customer_id += 1;
  EXPECT_EQ(Result(other_customer), Code(PaymentResult::kPaymentNotFound));
  EXPECT_EQ(CreditOf(10), nullptr);

  EXPECT_EQ(Result(Red(10, 30 * kYuan, "26310000000000000002")), Code(PaymentResult::kOk));
  EXPECT_EQ(Result(Red(10, 30 * kYuan, "26310000000000000003")), Code(PaymentResult::kDuplicate));
  EXPECT_EQ(Result(Red(11, 20 * kYuan, "26310000000000000004")), Code(PaymentResult::kOk));
  ASSERT_NE(CreditOf(10), nullptr);
  EXPECT_EQ(*CreditOf(10), "26310000000000000002");
  EXPECT_EQ(*CreditOf(11), "26310000000000000004");

  // Projected: both rows reach the read model.
  StopEngine();
  std::vector<CreditInvoiceRow> rows;
  ASSERT_TRUE(store_->inner()->ListCreditInvoices(1, &rows).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].refund_id, 10u);
  EXPECT_EQ(rows[0].amount_fen, 30 * kYuan);
  EXPECT_EQ(rows[1].number, "26310000000000000004");
  EXPECT_EQ(rows[1].original_number, kBlueNumber);
}

TEST_F(CreditInvoiceTest, SurvivesCheckpointAndJournalReplay) {
  ASSERT_EQ(Result(RecordInvoice{alice_, Blue(1, kBlueNumber)}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{10, shop_, 1, 30 * kYuan}), Code(PaymentResult::kOk));
  ASSERT_EQ(Result(Refund{11, shop_, 1, 20 * kYuan}), Code(PaymentResult::kOk));
  const Digest without = Hash();
  ASSERT_EQ(Result(Red(10, 30 * kYuan, "26310000000000000002")), Code(PaymentResult::kOk));
  const Digest with_one = Hash();
  EXPECT_NE(with_one, without);

  Restart();  // From the checkpoint written on stop.
  EXPECT_EQ(Hash(), with_one);
  EXPECT_EQ(Result(Red(10, 30 * kYuan, "26310000000000000003")), Code(PaymentResult::kDuplicate));

  EngineOptions replay = options_;
  replay.checkpoint_on_stop = false;
  ASSERT_EQ(Result(Red(11, 20 * kYuan, "26310000000000000004")), Code(PaymentResult::kOk));
  const Digest with_two = Hash();
  Restart(replay);  // The last command comes back from the journal.
  EXPECT_EQ(Hash(), with_two);
  ASSERT_NE(CreditOf(11), nullptr);
  EXPECT_EQ(Result(Red(11, 20 * kYuan, "26310000000000000005")), Code(PaymentResult::kDuplicate));
}

TEST(CreditInvoiceEncodingTest, TheCommandRoundTripsThroughTheJournalCodec) {
  CreditInvoiceRow row{"26310000000000000002", 10, 1, kBlueNumber, 3, 4, 3000, 170, 600, 77, true};
  std::string payload;
  EncodeCommand(RecordCreditInvoice{10, row}, &payload);
  std::vector<Command> commands;
  ASSERT_TRUE(DecodeCommands(payload, 1, &commands));
  ASSERT_EQ(TypeOf(commands.at(0)), CommandType::kRecordCreditInvoice);
  EXPECT_EQ(static_cast<uint16_t>(CommandType::kRecordCreditInvoice), 40);
  const auto& decoded = std::get<RecordCreditInvoice>(commands[0]);
  EXPECT_EQ(decoded.refund_id, 10u);
  EXPECT_EQ(decoded.invoice, row);
  EXPECT_EQ(CommandTypeName(CommandType::kRecordCreditInvoice), "record_credit_invoice");
  std::string corrupt = payload;
  corrupt.back() = 2;  // issued_locally is a strict boolean
  EXPECT_FALSE(DecodeCommands(corrupt, 1, &commands));
  EXPECT_FALSE(DecodeCommands(payload.substr(0, payload.size() - 1), 1, &commands));
}

TEST(CreditInvoiceEncodingTest, ABookWithoutRedInvoicesKeepsItsOldBytes) {
  payments::PaymentBook book;
  payments::Merchant merchant;
  merchant.id = 1;
  merchant.account_id = 77;
  book.AddMerchant(merchant);
  uint64_t user = 0;
  ASSERT_EQ(book.users().Create({"till", "Till", "argon2", payments::kMerchantCashier}, 5, &user),
            IdentityResult::kOk);
  book.SetUserMerchant(user, 1);
  std::string before;
  book.Serialize(&before);

  ASSERT_TRUE(book.AddCreditInvoice(10, "26310000000000000002"));
  EXPECT_FALSE(book.AddCreditInvoice(10, "26310000000000000003"));
  std::string with_red;
  book.Serialize(&with_red);
  // disabled_count:u64 (zero) credit_count:u64 refund:u64 number (u32 length + 20 bytes).
  ASSERT_EQ(with_red.size(), before.size() + 8 + 8 + 8 + 4 + 20);
  EXPECT_EQ(with_red.substr(0, before.size()), before);

  payments::PaymentBook loaded;
  ASSERT_TRUE(loaded.Deserialize(with_red));
  ASSERT_NE(loaded.FindCreditInvoiceOf(10), nullptr);
  EXPECT_EQ(*loaded.FindCreditInvoiceOf(10), "26310000000000000002");
  EXPECT_EQ(loaded.StateHash(), book.StateHash());
  ASSERT_TRUE(loaded.Deserialize(before));  // A book from before red-letter invoices.
  EXPECT_EQ(loaded.FindCreditInvoiceOf(10), nullptr);

  // Together with a disabled user.
  book.SetUserActive(user, false);
  std::string both;
  book.Serialize(&both);
  ASSERT_TRUE(loaded.Deserialize(both));
  EXPECT_FALSE(loaded.IsUserActive(user));
  EXPECT_NE(loaded.FindCreditInvoiceOf(10), nullptr);
  EXPECT_EQ(loaded.StateHash(), book.StateHash());

  // A zero disabled count needs the credit trailer after it; an empty credit trailer is never
  // written.
  EXPECT_FALSE(loaded.Deserialize(before + std::string(8, '\0')));
  EXPECT_FALSE(loaded.Deserialize(before + std::string(16, '\0')));
  EXPECT_FALSE(loaded.Deserialize(with_red.substr(0, with_red.size() - 1)));
}

}  // namespace
}  // namespace qb::engine
