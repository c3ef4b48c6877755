#include "workload.h"

#include <algorithm>
#include <limits>

#include "sim_rng.h"

namespace qb::sim {
namespace {

namespace af = ledger::account_flags;
namespace tf = ledger::transfer_flags;
using ledger::Account;
using ledger::AccountKind;
using ledger::Transfer;
using Transfers = absl::InlinedVector<Transfer, 2>;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// Fixed accounts, created by the first command of every stream.
constexpr uint64_t kClearing = 1;   // Bank clearing: funds top-ups and may go negative.
constexpr uint64_t kMarketing = 2;  // Marketing expense: funds the campaign budget.
constexpr uint64_t kCampaign = 3;   // Campaign budget: no overdraft, so it can run out.
constexpr uint64_t kWhaleA = 4;     // An unconstrained pair for amounts near INT64_MAX, so they
constexpr uint64_t kWhaleB = 5;     // overflow balances without starving everyone else.
constexpr uint64_t kPointsPool = 6;
constexpr uint64_t kSuspense = 7;  // credits_must_not_exceed_debits.
constexpr uint64_t kFirstDynamicAccount = 100;
constexpr uint64_t kUnknownAccount = 1'000'000'000;  // Never created.

constexpr uint16_t kCodePayment = 1;
constexpr uint16_t kCodeCashback = 2;
constexpr uint16_t kCodeTopUp = 3;
constexpr uint16_t kCodeRefund = 4;
constexpr uint16_t kCodePoints = 5;
constexpr uint16_t kCodeHold = 6;
constexpr uint16_t kCodeBudget = 7;

enum class Role : uint8_t { kSystem, kCustomer, kMerchant, kPoints };

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}
  std::vector<engine::Command> Generate(size_t command_count);

 private:
  void SetUp(std::vector<engine::Command>* commands);
  engine::Command AccountsCommand();
  engine::Command SingleTransfers();
  engine::Command Chains();
  engine::Command Holds();
  engine::Command Resolutions();
  engine::Command BadTransfers();
  engine::Command Close();
  void Identity(std::vector<engine::Command>* commands);
  void Payments(std::vector<engine::Command>* commands);

  Account NewAccount(Role role);
  Account DuplicateOrInvalidAccount();
  Transfer SingleTransfer();
  void AppendChain(Transfers* out);
  Transfer Hold();
  Transfer Resolve(const Transfer& pending);
  Transfer Reuse();
  Transfer MakeTransfer(uint64_t debit, uint64_t credit, int64_t amount, uint16_t code,
                        uint32_t ledger = ledger::kLedgerCny);
  uint64_t PickAccount(Role role);
  uint64_t PickAnyAccount();
  int64_t PaymentAmount();
  int64_t AnyAmount();

  Rng rng_;
  std::vector<Account> accounts_;       // Every valid account the stream asks to create.
  std::vector<Role> roles_;             // Parallel to accounts_.
  std::vector<Transfer> issued_;        // Every transfer generated, for reuse.
  std::vector<Transfer> holds_;         // Every pending transfer generated.
  std::vector<uint64_t> wallet_holds_;  // Ids of HoldFunds commands generated.
  std::vector<std::pair<uint64_t, uint64_t>> payments_;  // (Pay id, merchant) generated.
  std::vector<uint64_t> settlements_;  // Ids of StartSettlement commands generated.
  uint64_t next_account_id_ = kFirstDynamicAccount;
  uint64_t next_transfer_id_ = 1;
};

std::vector<engine::Command> Generator::Generate(size_t command_count) {
  std::vector<engine::Command> commands;
  commands.reserve(command_count + 3);
  SetUp(&commands);
  while (commands.size() < command_count) {
    const uint64_t roll = rng_.Below(100);
    if (roll < 7) {
      commands.push_back(AccountsCommand());
    } else if (roll < 42) {
      commands.push_back(SingleTransfers());
    } else if (roll < 56) {
      commands.push_back(Chains());
    } else if (roll < 66) {
      commands.push_back(Holds());
    } else if (roll < 78) {
      commands.push_back(Resolutions());
    } else if (roll < 86) {
      commands.push_back(BadTransfers());
    } else if (roll < 97) {
      Identity(&commands);
    } else {
      commands.push_back(Close());
    }
  }
  return commands;
}

void Generator::SetUp(std::vector<engine::Command>* commands) {
  auto system = [&](uint64_t id, AccountKind kind, uint16_t flags, uint32_t ledger) {
    Account a;
    a.id = id;
    a.kind = static_cast<uint16_t>(kind);
    a.flags = flags;
    a.ledger = ledger;
    accounts_.push_back(a);
    roles_.push_back(Role::kSystem);
  };
  system(kClearing, AccountKind::kBankClearing, 0, ledger::kLedgerCny);
  system(kMarketing, AccountKind::kMarketingExpense, 0, ledger::kLedgerCny);
  system(kCampaign, AccountKind::kCampaignBudget, af::kDebitsMustNotExceedCredits,
         ledger::kLedgerCny);
  system(kWhaleA, AccountKind::kSuspense, 0, ledger::kLedgerCny);
  system(kWhaleB, AccountKind::kSuspense, 0, ledger::kLedgerCny);
  system(kPointsPool, AccountKind::kPointsPool, 0, ledger::kLedgerPoints);
  system(kSuspense, AccountKind::kSuspense, af::kCreditsMustNotExceedDebits, ledger::kLedgerCny);
  for (int i = 0; i < 6; i++) NewAccount(Role::kCustomer);
  for (int i = 0; i < 3; i++) NewAccount(Role::kMerchant);
  for (int i = 0; i < 3; i++) NewAccount(Role::kPoints);
  engine::CreateAccounts create;
  create.accounts = accounts_;
  commands->push_back(std::move(create));

  engine::CreateTransfers fund;
  for (size_t i = 0; i < accounts_.size(); i++) {
    const uint64_t id = accounts_[i].id;
    if (roles_[i] == Role::kCustomer) {
      fund.transfers.push_back(
          MakeTransfer(kClearing, id, rng_.Between(50'000, 500'000), kCodeTopUp));
    } else if (roles_[i] == Role::kPoints) {
      fund.transfers.push_back(MakeTransfer(kPointsPool, id, rng_.Between(100, 10'000), kCodePoints,
                                            ledger::kLedgerPoints));
    }
  }
  // A budget that a busy stream exhausts, so cashback chains start failing part-way through.
  fund.transfers.push_back(
      MakeTransfer(kMarketing, kCampaign, rng_.Between(5'000, 100'000), kCodeBudget));
  commands->push_back(std::move(fund));
}

Account Generator::NewAccount(Role role) {
  Account a;
  a.id = next_account_id_++;
  a.user_data = rng_.Below(4);
  a.ledger = ledger::kLedgerCny;
  switch (role) {
    case Role::kCustomer:
      a.kind = static_cast<uint16_t>(AccountKind::kCustomerWallet);
      a.flags = af::kDebitsMustNotExceedCredits;
      break;
    case Role::kPoints:
      a.kind = static_cast<uint16_t>(AccountKind::kCustomerWallet);
      a.flags = af::kDebitsMustNotExceedCredits;
      a.ledger = ledger::kLedgerPoints;
      break;
    case Role::kMerchant:
    case Role::kSystem:
      a.kind = static_cast<uint16_t>(AccountKind::kMerchantSettlement);
      break;
  }
  accounts_.push_back(a);
  roles_.push_back(role);
  return a;
}

Account Generator::DuplicateOrInvalidAccount() {
  if (rng_.Percent(50)) {
    Account a = accounts_[rng_.Below(accounts_.size())];
    switch (rng_.Below(6)) {
      case 0:
        a.flags ^= af::kDebitsMustNotExceedCredits;
        break;
      case 1:
        a.user_data++;
        break;
      case 2:
        a.ledger = a.ledger == ledger::kLedgerCny ? ledger::kLedgerPoints : 1;
        break;
      case 3:
        a.kind = static_cast<uint16_t>(AccountKind::kFeeIncome);
        break;
      default:
        break;  // An exact duplicate: "exists".
    }
    return a;
  }
  Account a;
  a.id = next_account_id_++;  // Never registered: creating it must fail.
  a.ledger = ledger::kLedgerCny;
  a.kind = static_cast<uint16_t>(AccountKind::kCustomerWallet);
  switch (rng_.Below(8)) {
    case 0:
      a.flags = 1 << 8;
      break;
    case 1:
      a.id = 0;
      break;
    case 2:
      a.id = std::numeric_limits<uint64_t>::max();
      break;
    case 3:
      a.flags = af::kDebitsMustNotExceedCredits | af::kCreditsMustNotExceedDebits;
      break;
    case 4:
      a.credits_posted = 5;
      break;
    case 5:
      a.timestamp_ns = 1;
      break;
    case 6:
      a.ledger = 0;
      break;
    default:
      a.kind = 0;
      break;
  }
  return a;
}

engine::Command Generator::AccountsCommand() {
  engine::CreateAccounts c;
  const uint64_t count = 1 + rng_.Below(4);
  for (uint64_t i = 0; i < count; i++) {
    const uint64_t roll = rng_.Below(100);
    if (roll < 35) {
      c.accounts.push_back(NewAccount(Role::kCustomer));
    } else if (roll < 50) {
      c.accounts.push_back(NewAccount(Role::kMerchant));
    } else if (roll < 65) {
      c.accounts.push_back(NewAccount(Role::kPoints));
    } else {
      c.accounts.push_back(DuplicateOrInvalidAccount());
    }
  }
  return c;
}

Transfer Generator::MakeTransfer(uint64_t debit, uint64_t credit, int64_t amount, uint16_t code,
                                 uint32_t ledger) {
  Transfer t;
  t.id = next_transfer_id_++;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount = amount;
  t.ledger = ledger;
  t.code = code;
  t.user_data = rng_.Below(3);
  issued_.push_back(t);
  return t;
}

uint64_t Generator::PickAccount(Role role) {
  for (int attempt = 0; attempt < 64; attempt++) {
    const size_t i = rng_.Below(accounts_.size());
    if (roles_[i] == role) return accounts_[i].id;
  }
  return PickAnyAccount();
}

uint64_t Generator::PickAnyAccount() {
  if (rng_.Percent(3)) return kUnknownAccount + rng_.Below(10);
  return accounts_[rng_.Below(accounts_.size())].id;
}

int64_t Generator::PaymentAmount() {
  if (rng_.Percent(10)) return rng_.Between(20'000, 2'000'000);  // Often an overdraft.
  return rng_.Between(1, 20'000);
}

int64_t Generator::AnyAmount() {
  const uint64_t roll = rng_.Below(100);
  if (roll < 75) return rng_.Between(1, 20'000);
  if (roll < 85) return rng_.Between(20'000, 2'000'000);
  if (roll < 89) return 0;
  if (roll < 92) return -rng_.Between(1, 1'000);
  if (roll < 96) return kInt64Max - rng_.Between(0, 1'000);
  return kInt64Max / 2 + rng_.Between(0, 1'000);
}

Transfer Generator::SingleTransfer() {
  const uint64_t roll = rng_.Below(100);
  if (roll < 20) {
    return MakeTransfer(kClearing, PickAccount(Role::kCustomer), rng_.Between(100, 200'000),
                        kCodeTopUp);
  }
  if (roll < 55) {
    return MakeTransfer(PickAccount(Role::kCustomer), PickAccount(Role::kMerchant), PaymentAmount(),
                        kCodePayment);
  }
  if (roll < 63) {
    return MakeTransfer(PickAccount(Role::kMerchant), PickAccount(Role::kCustomer),
                        rng_.Between(1, 5'000), kCodeRefund);
  }
  if (roll < 71) {
    // One in ten names the wrong ledger for points accounts.
    const uint32_t ledger = rng_.Percent(90) ? ledger::kLedgerPoints : ledger::kLedgerCny;
    return MakeTransfer(kPointsPool, PickAccount(Role::kPoints), rng_.Between(1, 500), kCodePoints,
                        ledger);
  }
  if (roll < 79) {
    uint64_t debit = PickAnyAccount();
    if (debit == kClearing) debit = kWhaleA;  // Keep top-ups from overflowing.
    return MakeTransfer(debit, PickAnyAccount(), AnyAmount(), kCodePayment);
  }
  if (roll < 84) {
    const bool forward = rng_.Percent(50);
    return MakeTransfer(forward ? kWhaleA : kWhaleB, forward ? kWhaleB : kWhaleA,
                        kInt64Max - rng_.Between(0, 1'000'000), kCodePayment);
  }
  if (roll < 92) {
    return MakeTransfer(kCampaign, PickAccount(Role::kCustomer), rng_.Between(1, 2'000),
                        kCodeCashback);
  }
  if (roll < 94) {
    return MakeTransfer(kSuspense, PickAccount(Role::kMerchant), rng_.Between(1, 100), kCodeRefund);
  }
  return Reuse();
}

Transfer Generator::Reuse() {
  Transfer t = issued_[rng_.Below(issued_.size())];
  switch (rng_.Below(8)) {
    case 0:
      // Another amount, without overflowing the ones near INT64_MAX.
      t.amount = t.amount < kInt64Max ? t.amount + 1 : t.amount - 1;
      break;
    case 1:
      t.user_data++;
      break;
    case 2:
      t.credit_account_id = PickAnyAccount();
      break;
    case 3:
      t.code = kCodeRefund;
      break;
    case 4:
      t.flags ^= tf::kPending;
      break;
    default:
      break;  // An exact retry: idempotent.
  }
  return t;
}

// Customers from a small pool of phones and codes, so codes match, mismatch, expire and run
// out of tries, phones get taken twice, and transfers between customers hit every limit.
void Generator::Identity(std::vector<engine::Command>* commands) {
  constexpr uint64_t kPhones = 6;
  auto phone = [&] { return "1380000000" + std::to_string(rng_.Below(kPhones)); };
  auto code = [&] { return "code-" + std::to_string(rng_.Below(3)); };
  auto customer = [&] { return 1 + rng_.Below(kPhones + 1); };  // Sometimes unknown.
  auto token = [&] { return "token-" + std::to_string(rng_.Below(4)); };
  auto card_id = [&] { return 1 + rng_.Below(6); };  // Sometimes never bound, or unbound.
  // Cards, verification and holds mostly go to the first few customers, so that holds on
  // bound cards (and their settlement) happen often enough to matter.
  auto card_holder = [&] { return rng_.Percent(70) ? 1 + rng_.Below(2) : customer(); };
  if (rng_.Percent(30)) return Payments(commands);
  switch (rng_.Below(16)) {
    case 0:
    case 1: {
      // A sign-up: a code, then (usually right away, usually the right code) registration.
      const std::string who = phone();
      const std::string sent = code();
      commands->push_back(engine::IssueOtp{who, identity::OtpPurpose::kRegister, sent});
      const std::string typed = rng_.Below(4) == 0 ? code() : sent;
      commands->push_back(engine::RegisterCustomer{{who, typed, "argon2-hash", "social", ""}});
      return;
    }
    case 2:
      commands->push_back(engine::RecordLogin{customer(), rng_.Below(3) != 0});
      return;
    case 3:
      commands->push_back(engine::CreateSession{token(), customer(), {}});
      return;
    case 4:
      commands->push_back(engine::RevokeSession{token()});
      return;
    case 5:
    case 6: {
      engine::CreateTransfers top_up;
      top_up.transfers.push_back(MakeTransfer(
          kClearing, engine::kCustomerWalletAccountBase + customer(), PaymentAmount(), kCodeTopUp));
      commands->push_back(std::move(top_up));
      return;
    }
    case 7:
    case 8:
    case 9: {
      const int64_t amount = rng_.Below(4) == 0 ? AnyAmount() : PaymentAmount();
      commands->push_back(
          engine::P2PTransfer{next_transfer_id_++, customer(), phone(), amount, "memo", {}});
      return;
    }
    case 10: {
      // Few identities for many customers: most attempts after the first are taken.
      const std::string id = "id-" + std::to_string(rng_.Below(4));
      commands->push_back(
          engine::VerifyIdentity{card_holder(), {"张三", id, "sealed-" + id, "masked", 0}});
      return;
    }
    case 11: {
      identity::BoundCard card;
      const std::string pan = std::to_string(rng_.Below(8));
      card.lookup_hash = "pan-" + pan;
      card.pan_sealed = "sealed-" + pan;
      card.first6 = "622202";
      card.last4 = "000" + pan;
      card.bank_code = "ICBC";
      card.bank_token = "tok-" + pan;
      commands->push_back(engine::BindCard{card_holder(), card});
      return;
    }
    case 12:
      commands->push_back(engine::UnbindCard{customer(), card_id()});
      return;
    case 13: {
      const auto kind = rng_.Percent(60) ? engine::HoldKind::kTopUp : engine::HoldKind::kWithdrawal;
      wallet_holds_.push_back(next_transfer_id_);
      commands->push_back(engine::HoldFunds{kind, next_transfer_id_++, card_holder(),
                                            rng_.Percent(70) ? 1 + rng_.Below(3) : card_id(),
                                            rng_.Below(5) == 0 ? AnyAmount() : PaymentAmount()});
      return;
    }
    case 14: {
      // Usually the latest hold made above (perhaps settled already), sometimes any id.
      const uint64_t hold =
          !wallet_holds_.empty() && rng_.Percent(90)
              ? wallet_holds_[wallet_holds_.size() - 1 -
                              rng_.Below(std::min<size_t>(3, wallet_holds_.size()))]
              : 1 + rng_.Below(next_transfer_id_);
      commands->push_back(engine::SettleHold{next_transfer_id_++, hold, rng_.Percent(70)});
      return;
    }
    default: {
      const uint64_t staff = 1 + rng_.Below(3);
      switch (rng_.Below(4)) {
        case 0:
          commands->push_back(
              engine::CreateStaff{{"staff-" + std::to_string(rng_.Below(3)), "name", "argon2-hash",
                                   static_cast<uint32_t>(1 + rng_.Below(127))}});
          return;
        case 1:
          commands->push_back(engine::RecordStaffLogin{staff, rng_.Below(3) != 0});
          return;
        case 2:
          commands->push_back(engine::CreateStaffSession{token(), staff});
          return;
        default:
          commands->push_back(engine::GrantTier{customer(), identity::WalletTier::kI, staff});
          return;
      }
    }
  }
}

// Merchants and every way to pay them, refunds, settlements: few merchants, customers, devices
// and tokens, so that payments meet each other's states (paid orders, used codes, replayed
// counters, exhausted keys, refunds beyond the amount, settled days).
void Generator::Payments(std::vector<engine::Command>* commands) {
  using payments::PaymentChannel;
  auto customer = [&] { return 1 + rng_.Below(7); };
  auto merchant = [&] { return 1 + rng_.Below(4); };  // Sometimes unknown.
  // Usually a recent payment, with its merchant; sometimes any id, any merchant.
  auto payment = [&]() -> std::pair<uint64_t, uint64_t> {
    if (payments_.empty() || rng_.Percent(15)) {
      return {1 + rng_.Below(next_transfer_id_), merchant()};
    }
    return payments_[payments_.size() - 1 - rng_.Below(std::min<size_t>(4, payments_.size()))];
  };
  auto token = [&](uint64_t n) {
    return *paytoken::MakeTokenNumber("90000000000000" + std::to_string(n));
  };
  // Code steps of 10^9 seconds: the step of any batch time is 1, so steps 0..3 are expired,
  // current, or ahead.
  constexpr int64_t kHugeStepSeconds = 1'000'000'000;
  switch (rng_.Below(16)) {
    case 0: {
      // Staff onboard merchants; the first such command also makes sure one staff member
      // exists (later ones find the name taken, which is fine).
      commands->push_back(engine::CreateStaff{{"onboarding", "o", "argon2-hash", 1}});
      payments::MerchantProfile profile;
      profile.legal_name = "商户";
      profile.credit_code = "91350100M000100Y43";
      profile.category = "catering";
      profile.fee_bps = static_cast<uint32_t>(rng_.Below(200));
      const bool by_staff = rng_.Percent(80);
      commands->push_back(
          engine::ApplyMerchant{profile,
                                {"m" + std::to_string(rng_.Below(4)), "m", "argon2-hash", 0},
                                by_staff ? 1 + rng_.Below(2) : 0,
                                by_staff && rng_.Percent(80)});
      return;
    }
    case 1: {
      // Mostly approvals, so payments find active merchants; sometimes a suspension.
      const auto status = rng_.Percent(75)
                              ? payments::MerchantStatus::kActive
                              : static_cast<payments::MerchantStatus>(1 + rng_.Below(3));
      commands->push_back(engine::ReviewMerchant{merchant(), 1 + rng_.Below(2), status});
      return;
    }
    case 2:
      commands->push_back(engine::CreateOrder{merchant(), "o" + std::to_string(rng_.Below(6)),
                                              PaymentAmount(),
                                              int64_t{1} << 62,  // Far ahead of any batch time.
                                              "desc", "", ""});
      return;
    case 3:
      commands->push_back(engine::CloseOrder{merchant(), 1 + rng_.Below(6)});
      return;
    case 4:
      commands->push_back(engine::RegisterPaymentDevice{
          customer(), static_cast<uint32_t>(rng_.Below(4)), "sealed"});
      return;
    case 5:
      commands->push_back(engine::SetSmallPayments{
          customer(), rng_.Percent(70), static_cast<int64_t>(1 + rng_.Below(50'000)), 100'000});
      return;
    case 6:
      commands->push_back(engine::IssueNfcToken{customer(), token(rng_.Below(4)), 2, 1});
      return;
    case 7:
      commands->push_back(engine::RefreshNfcToken{customer(), 2, 1});
      return;
    case 8:
    case 9:
    case 10: {
      engine::Pay pay;
      pay.payment_id = next_transfer_id_++;
      pay.merchant_id = merchant();
      pay.amount_fen = rng_.Below(6) == 0 ? AnyAmount() : PaymentAmount();
      pay.channel = static_cast<PaymentChannel>(1 + rng_.Below(5));
      switch (pay.channel) {
        case PaymentChannel::kPaymentCode:
          pay.device_slot = static_cast<uint32_t>(rng_.Below(4));
          pay.code_step = static_cast<int64_t>(rng_.Below(4));
          pay.code_step_seconds = kHugeStepSeconds;
          pay.code_window_steps = 1;
          break;
        case PaymentChannel::kNfc:
          pay.nfc_token = token(rng_.Below(4));
          pay.nfc_atc = static_cast<uint32_t>(1 + rng_.Below(6));
          break;
        case PaymentChannel::kDynamicQr:
        case PaymentChannel::kOnline:
          pay.customer_id = customer();
          pay.order_id = 1 + rng_.Below(6);
          break;
        default:
          pay.customer_id = customer();
          break;
      }
      payments_.push_back({pay.payment_id, pay.merchant_id});
      commands->push_back(std::move(pay));
      return;
    }
    case 11:
      commands->push_back(
          engine::ConfirmPayment{customer(), payment().first, rng_.Percent(70), {}});
      return;
    case 12: {
      const auto [id, paid_to] = payment();
      commands->push_back(engine::Refund{
          next_transfer_id_++, paid_to, id,
          rng_.Percent(85) ? 1 + static_cast<int64_t>(rng_.Below(2'000)) : AnyAmount()});
      return;
    }
    default: {
      const uint64_t id = next_transfer_id_++;
      settlements_.push_back(id);
      if (rng_.Percent(65) || settlements_.size() < 2) {
        // Days around now (batch times are real-ish Unix times): most are over, some are not.
        // The batch clock starts late on day 19,675 (2023-11-14, China time): most of these
        // days are over, the last few are not.
        const int64_t day = 19'660 + static_cast<int64_t>(rng_.Below(20));
        commands->push_back(engine::StartSettlement{id, merchant(), day});
      } else {
        commands->push_back(engine::FinishSettlement{
            settlements_[settlements_.size() - 2 -
                         rng_.Below(std::min<size_t>(2, settlements_.size() - 1))],
            rng_.Percent(70)});
      }
      return;
    }
  }
}

engine::Command Generator::SingleTransfers() {
  engine::CreateTransfers c;
  const uint64_t count = 1 + rng_.Below(3);
  for (uint64_t i = 0; i < count; i++) c.transfers.push_back(SingleTransfer());
  return c;
}

Transfer Generator::Hold() {
  const bool card_top_up = rng_.Percent(25);
  Transfer t = card_top_up ? MakeTransfer(kClearing, PickAccount(Role::kCustomer),
                                          rng_.Between(100, 50'000), kCodeHold)
                           : MakeTransfer(PickAccount(Role::kCustomer),
                                          PickAccount(Role::kMerchant), PaymentAmount(), kCodeHold);
  t.flags = tf::kPending;
  t.timeout_s = rng_.Percent(25) ? 0 : static_cast<uint32_t>(rng_.Between(1, 30));
  issued_.back() = t;
  holds_.push_back(t);
  return t;
}

Transfer Generator::Resolve(const Transfer& pending) {
  const bool post = rng_.Percent(60);
  Transfer t = MakeTransfer(0, 0, 0, 0, 0);
  t.flags = post ? tf::kPostPending : tf::kVoidPending;
  t.user_data = 0;
  const uint64_t target = rng_.Below(100);
  if (target < 90) {
    t.pending_id = pending.id;
  } else if (target < 95) {
    t.pending_id = issued_[rng_.Below(issued_.size())].id;  // Usually not a pending one.
  } else {
    t.pending_id = 1ull << 50;  // Unknown.
  }
  const uint64_t amount = rng_.Below(100);
  if (amount < 40) {
    t.amount = 0;  // The whole hold.
  } else if (amount < 70) {
    t.amount = pending.amount;
  } else if (amount < 90) {
    t.amount = rng_.Between(1, std::max<int64_t>(1, pending.amount));
  } else {
    t.amount = pending.amount + 1;
  }
  const uint64_t fields = rng_.Below(100);
  if (fields >= 85 && fields < 95) {
    t.debit_account_id = pending.debit_account_id;
    t.credit_account_id = pending.credit_account_id;
    t.ledger = pending.ledger;
    t.code = pending.code;
  } else if (fields >= 95) {
    t.debit_account_id = PickAnyAccount();
  }
  issued_.back() = t;
  return t;
}

engine::Command Generator::Holds() {
  engine::CreateTransfers c;
  const uint64_t count = 1 + rng_.Below(2);
  for (uint64_t i = 0; i < count; i++) c.transfers.push_back(Hold());
  return c;
}

engine::Command Generator::Resolutions() {
  if (holds_.empty()) return Holds();
  engine::CreateTransfers c;
  const uint64_t count = 1 + rng_.Below(2);
  for (uint64_t i = 0; i < count; i++) {
    // Mostly recent holds, so that some are still pending and some have just expired.
    const size_t recent = std::min<size_t>(holds_.size(), 12);
    const Transfer& pending = rng_.Percent(80) ? holds_[holds_.size() - 1 - rng_.Below(recent)]
                                               : holds_[rng_.Below(holds_.size())];
    c.transfers.push_back(Resolve(pending));
    if (rng_.Percent(10)) c.transfers.push_back(Resolve(pending));  // Already resolved.
  }
  return c;
}

void Generator::AppendChain(Transfers* out) {
  const uint64_t customer = PickAccount(Role::kCustomer);
  const int64_t amount = PaymentAmount();
  std::vector<Transfer> chain;
  chain.push_back(MakeTransfer(customer, PickAccount(Role::kMerchant), amount, kCodePayment));
  if (rng_.Percent(70)) {
    chain.push_back(MakeTransfer(kCampaign, customer, amount * 2 / 100 + 1, kCodeCashback));
  }
  if (rng_.Percent(40)) {
    chain.push_back(MakeTransfer(kPointsPool, PickAccount(Role::kPoints), amount / 100 + 1,
                                 kCodePoints, ledger::kLedgerPoints));
  }
  if (rng_.Percent(15)) {
    // A hold captured within the same chain: a later failure must undo both.
    const Transfer hold = Hold();
    chain.push_back(hold);
    chain.push_back(Resolve(hold));
  }
  if (rng_.Percent(20)) {
    Transfer bad = MakeTransfer(customer, PickAccount(Role::kMerchant), amount, kCodePayment);
    switch (rng_.Below(4)) {
      case 0:
        bad.amount = kInt64Max / 4;
        break;  // Overdraft.
      case 1:
        bad.credit_account_id = kUnknownAccount;
        break;
      case 2:
        bad.amount = 0;
        break;
      default:
        bad.id = chain.front().id;
        break;  // Duplicate id within the chain.
    }
    issued_.back() = bad;
    chain.insert(chain.begin() + static_cast<ptrdiff_t>(rng_.Below(chain.size() + 1)), bad);
  }
  for (size_t i = 0; i + 1 < chain.size(); i++) chain[i].flags |= tf::kLinked;
  if (rng_.Percent(5)) chain.back().flags |= tf::kLinked;  // Open, unless more follow.
  out->insert(out->end(), chain.begin(), chain.end());
}

engine::Command Generator::Chains() {
  engine::CreateTransfers c;
  const uint64_t count = 1 + rng_.Below(2);
  for (uint64_t i = 0; i < count; i++) {
    AppendChain(&c.transfers);
    if (rng_.Percent(20)) c.transfers.push_back(SingleTransfer());
  }
  return c;
}

engine::Command Generator::BadTransfers() {
  engine::CreateTransfers c;
  const uint64_t count = 1 + rng_.Below(2);
  for (uint64_t i = 0; i < count; i++) {
    Transfer t = MakeTransfer(PickAccount(Role::kCustomer), PickAccount(Role::kMerchant),
                              rng_.Between(1, 1'000), kCodePayment);
    switch (rng_.Below(20)) {
      case 0:
        t.id = 0;
        break;
      case 1:
        t.id = std::numeric_limits<uint64_t>::max();
        break;
      case 2:
        t.flags |= 1 << 9;
        break;
      case 3:
        t.flags |= tf::kPending | tf::kPostPending;
        break;
      case 4:
        t.debit_account_id = 0;
        break;
      case 5:
        t.credit_account_id = 0;
        break;
      case 6:
        t.credit_account_id = t.debit_account_id;
        break;
      case 7:
        t.pending_id = 1;
        break;
      case 8:
        t.timeout_s = 5;
        break;
      case 9:
        t.amount = 0;
        break;
      case 10:
        t.amount = -rng_.Between(1, 1'000'000);
        break;
      case 11:
        t.ledger = 0;
        break;
      case 12:
        t.code = 0;
        break;
      case 13:
        t.debit_account_id = kUnknownAccount;
        break;
      case 14:
        t.credit_account_id = kUnknownAccount + 1;
        break;
      case 15:
        t.credit_account_id = PickAccount(Role::kPoints);
        break;
      case 16:
        t.ledger = ledger::kLedgerPoints;
        break;
      case 17:
        t.timestamp_ns = 1;
        break;
      case 18:
        t.amount = kInt64Max - rng_.Between(0, 100);
        break;  // Overdraft.
      default:  // Overflows the whales' balances once they hold a near-INT64_MAX amount.
        t.debit_account_id = kWhaleB;
        t.credit_account_id = kWhaleA;
        t.amount = kInt64Max / 2 + rng_.Between(0, 100);
        break;
    }
    issued_.back() = t;
    c.transfers.push_back(t);
  }
  return c;
}

engine::Command Generator::Close() {
  // Mostly dynamic accounts: closing the clearing account would starve the stream.
  if (rng_.Percent(10)) return engine::CloseAccount{kUnknownAccount};
  uint64_t id = PickAnyAccount();
  if (id < kFirstDynamicAccount && id != kSuspense) id = PickAccount(Role::kMerchant);
  return engine::CloseAccount{id};
}

}  // namespace

std::vector<engine::Command> GenerateWorkload(uint64_t seed, size_t command_count) {
  return Generator(seed).Generate(command_count);
}

}  // namespace qb::sim
