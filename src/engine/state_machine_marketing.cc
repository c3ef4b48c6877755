// The state machine's marketing commands (55 to 61, engine/marketing_command.h) and the ledger
// side of campaigns. The rules are the campaign book's (marketing/campaign_book.h); this file
// keeps the ledger in step with it:
//
// - one marketing expense account (kMarketingExpenseAccountId, no balance flag: the bank's
//   expense may go negative) and one budget account per campaign
//   (kCampaignBudgetAccountBase + id, kCampaignBudget, no overdraft);
// - a campaign's budget account holds exactly what the book says is left, budget − spent:
//   creating a campaign funds its whole budget from the expense account, FundCampaign adds
//   (from the expense account or a co-funding merchant), ending returns the unspent rest, and
//   payments and refunds (state_machine_marketing_payments.cc) move rewards out and back;
// - every book operation that must be mirrored by a transfer is checked first, so that the
//   transfer cannot fail after the book changed (or the book refuses before anything moved).
//
// The checkpoint trailer (Serialize in state_machine.cc writes it last, only once a campaign
// exists, so states from before marketing keep their bytes and hashes):
//
//   marketing := book_bytes:u64 book (marketing/campaign_book_codec.cc)
//                paid_count:u64 customer:u64*                  (ascending)
//                pair_count:u64 (customer:u64 merchant:u64)*   (ascending)
//                payment_count:u64 (payment:u64 coupon:u64 discount:i64 cashback:i64)*
//                                                              (ascending payment)
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "base/bytes.h"
#include "base/checked.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {
namespace {

using internal::DerivedId;
using internal::kNsPerSecond;

MarketingResult Refused(marketing::Error error, Reply* reply) {
  reply->text = std::string(error.code);
  if (!error.field.empty()) {
    reply->text += ':';
    reply->text += error.field;
  }
  return MarketingResult::kRefused;
}

}  // namespace

bool StateMachine::IsMarketingCommand(const Command& command) {
  const auto type = static_cast<uint16_t>(TypeOf(command));
  return (type >= static_cast<uint16_t>(CommandType::kCreateCampaign) &&
          type <= static_cast<uint16_t>(CommandType::kIssueCoupons)) ||
         type == static_cast<uint16_t>(CommandType::kEditCustomerList);
}

const PaymentMarketing* StateMachine::FindPaymentMarketing(uint64_t payment_id) const {
  const auto it = payment_marketing_.find(payment_id);
  return it == payment_marketing_.end() ? nullptr : &it->second;
}

void StateMachine::EnsureMarketingExpenseAccount() {
  if (ledger_.FindAccount(kMarketingExpenseAccountId) != nullptr) return;
  ledger::Account expense;
  expense.id = kMarketingExpenseAccountId;
  expense.ledger = ledger::kLedgerCny;
  expense.kind = static_cast<uint16_t>(ledger::AccountKind::kMarketingExpense);
  ledger_.CreateAccounts(std::span(&expense, 1), batch_time_ns_, &account_results_);
  // A fixed id below every customer and merchant range: only this creates it.
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(kMarketingExpenseAccountId);
}

void StateMachine::MoveProgramBudget(uint64_t account_id, int64_t change, uint64_t version,
                                     std::string_view purpose) {
  if (change == 0) return;
  EnsureMarketingExpenseAccount();
  if (ledger_.FindAccount(account_id) == nullptr) {
    ledger::Account budget;
    budget.id = account_id;
    budget.ledger = ledger::kLedgerCny;
    budget.kind = static_cast<uint16_t>(ledger::AccountKind::kCampaignBudget);
    budget.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
    ledger_.CreateAccounts(std::span(&budget, 1), batch_time_ns_, &account_results_);
    // A fixed id below every customer and merchant range: only this creates it.
    QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
    Touch(account_id);
  }
  // Lowered never below what was spent (each book checks): the account holds at least that.
  ledger::Transfer move;
  move.id = internal::DerivedId(version, purpose);
  move.debit_account_id = change > 0 ? kMarketingExpenseAccountId : account_id;
  move.credit_account_id = change > 0 ? account_id : kMarketingExpenseAccountId;
  move.amount = change > 0 ? change : -change;
  move.ledger = ledger::kLedgerCny;
  move.code = change > 0 ? ledger::transfer_codes::kCampaignFunding
                         : ledger::transfer_codes::kCampaignRelease;
  move.user_data = version;
  ledger_.CreateTransfers(std::span(&move, 1), batch_time_ns_, &transfer_results_);
  QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
  ProjectCreated(std::span(&move, 1));
}

void StateMachine::NotePaid(uint64_t customer_id, uint64_t merchant_id) {
  customers_paid_.insert(customer_id);
  paid_at_merchant_.insert({customer_id, merchant_id});
}

void StateMachine::RecordEarlierPayments() {
  // Once, when the first campaign is created: O(payments so far).
  payments_.ForEachPayment([&](const payments::Payment& payment) {
    if (payment.state == payments::PaymentState::kCompleted) {
      NotePaid(payment.customer_id, payment.merchant_id);
    }
  });
}

MarketingResult StateMachine::ApplyCreateCampaign(const CreateCampaign& c, Reply* reply) {
  if (staff_.FindById(c.staff_id) == nullptr) return MarketingResult::kStaffNotFound;
  const uint64_t campaign_id = campaigns_.campaigns().size() + 1;
  const uint64_t budget_account_id = kCampaignBudgetAccountBase + campaign_id;
  // Checked before the book takes the campaign, so the funding transfer below cannot fail: a
  // raw CreateAccounts may have taken the id, and the expense account's debits must not overflow.
  if (ledger_.FindAccount(budget_account_id) != nullptr) return MarketingResult::kInvalid;
  if (const ledger::Account* expense = ledger_.FindAccount(kMarketingExpenseAccountId)) {
    const std::optional<int64_t> debits =
        CheckedAdd(expense->debits_posted, std::max<int64_t>(c.config.caps.budget_total_fen, 0));
    if (!debits) return MarketingResult::kInvalid;
  }
  const bool first = !marketing_on();
  uint64_t created_id = 0;
  if (const marketing::Error e = campaigns_.CreateCampaign(c.config, &created_id); !e.ok()) {
    return Refused(e, reply);
  }
  QB_ASSERT(created_id == campaign_id);
  if (first) RecordEarlierPayments();
  EnsureMarketingExpenseAccount();
  ledger::Account budget;
  budget.id = budget_account_id;
  budget.user_data = campaign_id;
  budget.ledger = ledger::kLedgerCny;
  budget.kind = static_cast<uint16_t>(ledger::AccountKind::kCampaignBudget);
  budget.flags = ledger::account_flags::kDebitsMustNotExceedCredits;
  ledger_.CreateAccounts(std::span(&budget, 1), batch_time_ns_, &account_results_);
  QB_ASSERT(account_results_[0] == ledger::CreateAccountResult::kOk);
  Touch(budget_account_id);

  ledger::Transfer fund;
  fund.id = DerivedId(budget_account_id, "campaign-initial-budget");
  fund.debit_account_id = kMarketingExpenseAccountId;
  fund.credit_account_id = budget_account_id;
  fund.amount = campaigns_.FindCampaign(campaign_id)->campaign.caps.budget_total_fen;
  fund.ledger = ledger::kLedgerCny;
  fund.code = ledger::transfer_codes::kCampaignFunding;
  fund.user_data = campaign_id;
  ledger_.CreateTransfers(std::span(&fund, 1), batch_time_ns_, &transfer_results_);
  QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
  ProjectCreated(std::span(&fund, 1));
  reply->value = campaign_id;
  return MarketingResult::kOk;
}

MarketingResult StateMachine::ApplyUpdateCampaign(const UpdateCampaign& c, Reply* reply) {
  if (staff_.FindById(c.staff_id) == nullptr) return MarketingResult::kStaffNotFound;
  // Every change of a budget is a ledger transfer, made by FundCampaign: the book would let a
  // draft's budget change here without one.
  const marketing::CampaignState* state = campaigns_.FindCampaign(c.config.id);
  if (state != nullptr && state->campaign.status != marketing::CampaignStatus::kEnded &&
      state->campaign.caps.budget_total_fen != c.config.caps.budget_total_fen) {
    return Refused({"CAMPAIGN_BUDGET_USE_TOP_UP", "caps.budget_total_fen"}, reply);
  }
  // A co-funding merchant paid for discounts at the merchants listed then, not at others.
  if (state != nullptr && co_funding_.Find(c.config.id) != nullptr &&
      state->campaign.eligibility.merchant_ids != c.config.eligibility.merchant_ids) {
    return Refused({"CAMPAIGN_COFUNDED_MERCHANTS_FIXED", "eligibility.merchant_ids"}, reply);
  }
  if (const marketing::Error e = campaigns_.UpdateCampaign(c.config); !e.ok()) {
    return Refused(e, reply);
  }
  reply->value = c.config.id;
  return MarketingResult::kOk;
}

MarketingResult StateMachine::ApplyTransitionCampaign(const TransitionCampaign& c, Reply* reply) {
  if (staff_.FindById(c.staff_id) == nullptr) return MarketingResult::kStaffNotFound;
  if (c.status != marketing::CampaignStatus::kEnded) {
    if (const marketing::Error e = campaigns_.TransitionCampaign(c.campaign_id, c.status);
        !e.ok()) {
      return Refused(e, reply);
    }
    return MarketingResult::kOk;
  }
  int64_t unspent_fen = 0;
  if (const marketing::Error e = campaigns_.EndCampaign(c.campaign_id, &unspent_fen); !e.ok()) {
    return Refused(e, reply);
  }
  const uint64_t budget_account_id = kCampaignBudgetAccountBase + c.campaign_id;
  // Held cashback still waiting is a pending debit: spent for the book, not yet moved.
  const ledger::Account& budget = *ledger_.FindAccount(budget_account_id);
  QB_ASSERT(budget.CreditBalance() - budget.debits_pending == unspent_fen);
  if (unspent_fen > 0) ReturnToFunders(c.campaign_id, unspent_fen, budget_account_id);
  reply->value = static_cast<uint64_t>(unspent_fen);
  return MarketingResult::kOk;
}

void StateMachine::ReturnToFunders(uint64_t campaign_id, int64_t amount_fen, uint64_t id_base) {
  const uint64_t budget_account_id = kCampaignBudgetAccountBase + campaign_id;
  absl::InlinedVector<ledger::Transfer, 2> returns;
  auto can_take = [this](uint64_t merchant_id) {
    const ledger::Account* account =
        ledger_.FindAccount(payments_.FindMerchant(merchant_id)->account_id);
    return (account->flags & ledger::account_flags::kClosed) == 0;
  };
  for (const marketing::ReturnShare& share :
       co_funding_.Return(campaign_id, amount_fen, can_take)) {
    ledger::Transfer t;
    if (share.merchant_id == 0) {
      t.id = DerivedId(id_base, "campaign-end");
      t.credit_account_id = kMarketingExpenseAccountId;
    } else {
      t.id = DerivedId(id_base, "campaign-end-merchant-" + std::to_string(share.merchant_id));
      t.credit_account_id = payments_.FindMerchant(share.merchant_id)->account_id;
      // Back into what the merchant is owed: its next T+1 settlement pays it out.
      payments_.AddUnsettled(share.merchant_id, internal::ChinaDay(batch_time_ns_),
                             share.amount_fen);
    }
    t.debit_account_id = budget_account_id;
    t.amount = share.amount_fen;
    t.ledger = ledger::kLedgerCny;
    t.code = ledger::transfer_codes::kCampaignRelease;
    t.user_data = campaign_id;
    returns.push_back(t);
  }
  // The budget account holds at least the amount (checked by the caller's book), and an open
  // merchant's or the expense account's credits are not limited.
  ledger_.CreateTransfers(returns, batch_time_ns_, &transfer_results_);
  for (ledger::CreateTransferResult r : transfer_results_) {
    QB_ASSERT(r == ledger::CreateTransferResult::kOk);
  }
  ProjectCreated(returns);
}

MarketingResult StateMachine::ApplyEditCustomerList(const EditCustomerList& c, int64_t now_s,
                                                    Reply* reply) {
  if (staff_.FindById(c.staff_id) == nullptr) return MarketingResult::kStaffNotFound;
  const bool with_customers = c.op == CustomerListOp::kAdd || c.op == CustomerListOp::kRemove;
  if ((c.op == CustomerListOp::kCreate) != (c.list_id == 0) ||
      (c.op != CustomerListOp::kCreate && !c.name.empty()) ||
      (!with_customers && !c.customer_ids.empty()) || (with_customers && c.customer_ids.empty())) {
    return MarketingResult::kInvalid;
  }
  // Ids that name no customer are left out, so a list holds customers only.
  std::vector<uint64_t> known;
  known.reserve(c.customer_ids.size());
  for (const uint64_t id : c.customer_ids) {
    if (customers_.FindById(id) != nullptr) known.push_back(id);
  }
  marketing::Error e;
  uint32_t created = 0;
  int64_t changed = 0;
  switch (c.op) {
    case CustomerListOp::kCreate:
      e = campaigns_.CreateCustomerList(c.name, c.staff_id, now_s, &created);
      reply->value = created;
      break;
    case CustomerListOp::kAdd:
      e = campaigns_.AddToCustomerList(c.list_id, known, now_s, &changed);
      reply->value = static_cast<uint64_t>(changed);
      break;
    case CustomerListOp::kRemove:
      e = campaigns_.RemoveFromCustomerList(c.list_id, known, now_s, &changed);
      reply->value = static_cast<uint64_t>(changed);
      break;
    case CustomerListOp::kDelete:
      e = campaigns_.DeleteCustomerList(c.list_id);
      break;
  }
  return e.ok() ? MarketingResult::kOk : Refused(e, reply);
}

MarketingResult StateMachine::ApplyFundCampaign(const FundCampaign& c, Reply* reply) {
  if (c.transfer_id == 0 || c.amount_fen <= 0) return MarketingResult::kInvalid;
  if (staff_.FindById(c.staff_id) == nullptr) return MarketingResult::kStaffNotFound;
  if (ledger_.FindTransfer(c.transfer_id) != nullptr) return MarketingResult::kDuplicate;
  const payments::Merchant* merchant = nullptr;
  if (c.merchant_id != 0) {
    merchant = payments_.FindMerchant(c.merchant_id);
    if (merchant == nullptr) return MarketingResult::kMerchantNotFound;
  }
  // TopUp's own checks, made before the money moves so that TopUp cannot refuse after it.
  const marketing::CampaignState* state = campaigns_.FindCampaign(c.campaign_id);
  if (state == nullptr) return Refused({"CAMPAIGN_NOT_FOUND", "id"}, reply);
  if (state->campaign.status == marketing::CampaignStatus::kEnded) {
    return Refused({"CAMPAIGN_ENDED", ""}, reply);
  }
  // A merchant co-funds discounts at its own till only: the campaign must name it among the
  // merchants it applies at (and that list is then fixed, ApplyUpdateCampaign).
  const std::vector<uint64_t>& targeted = state->campaign.eligibility.merchant_ids;
  if (merchant != nullptr &&
      std::find(targeted.begin(), targeted.end(), merchant->id) == targeted.end()) {
    return Refused({"CAMPAIGN_COFUND_MERCHANT_NOT_TARGETED", "merchant_id"}, reply);
  }
  const int64_t budget_before_fen = state->campaign.caps.budget_total_fen;
  const std::optional<int64_t> budget_after =
      CheckedAdd(state->campaign.caps.budget_total_fen, c.amount_fen);
  if (!budget_after || *budget_after > marketing::kMaxBudgetFen) {
    return Refused({"CAMPAIGN_INVALID_TOP_UP", "amount_fen"}, reply);
  }
  ledger::Transfer fund;
  fund.id = c.transfer_id;
  fund.debit_account_id = merchant != nullptr ? merchant->account_id : kMarketingExpenseAccountId;
  fund.credit_account_id = kCampaignBudgetAccountBase + c.campaign_id;
  fund.amount = c.amount_fen;
  fund.ledger = ledger::kLedgerCny;
  fund.code = ledger::transfer_codes::kCampaignFunding;
  fund.user_data = c.campaign_id;
  ledger_.CreateTransfers(std::span(&fund, 1), batch_time_ns_, &transfer_results_);
  if (transfer_results_[0] == ledger::CreateTransferResult::kExceedsCredits) {
    return MarketingResult::kInsufficientFunds;
  }
  if (transfer_results_[0] != ledger::CreateTransferResult::kOk) return MarketingResult::kInvalid;
  ProjectCreated(std::span(&fund, 1));
  const marketing::Error topped = campaigns_.TopUp(c.campaign_id, c.amount_fen);
  QB_ASSERT(topped.ok());
  co_funding_.Fund(c.campaign_id, c.merchant_id, c.amount_fen, budget_before_fen);
  if (merchant != nullptr) {
    // Co-funding comes out of what the merchant took: T+1 settlement pays that much less.
    payments_.AddUnsettled(merchant->id, internal::ChinaDay(batch_time_ns_), -c.amount_fen);
  }
  reply->value = static_cast<uint64_t>(*budget_after);
  return MarketingResult::kOk;
}

Reply StateMachine::ApplyMarketing(const Command& command) {
  Reply reply;
  const int64_t now_s = batch_time_ns_ / kNsPerSecond;
  MarketingResult r = MarketingResult::kInvalid;
  if (const auto* c = std::get_if<CreateCampaign>(&command)) {
    r = ApplyCreateCampaign(*c, &reply);
  } else if (const auto* c = std::get_if<UpdateCampaign>(&command)) {
    r = ApplyUpdateCampaign(*c, &reply);
  } else if (const auto* c = std::get_if<TransitionCampaign>(&command)) {
    r = ApplyTransitionCampaign(*c, &reply);
  } else if (const auto* c = std::get_if<FundCampaign>(&command)) {
    r = ApplyFundCampaign(*c, &reply);
  } else if (const auto* c = std::get_if<CreateCouponTemplate>(&command)) {
    if (staff_.FindById(c->staff_id) == nullptr) {
      r = MarketingResult::kStaffNotFound;
    } else if (const marketing::Error e = campaigns_.CreateCouponTemplate(c->config, &reply.value);
               !e.ok()) {
      r = Refused(e, &reply);
    } else {
      r = MarketingResult::kOk;
    }
  } else if (const auto* c = std::get_if<ClaimCoupon>(&command)) {
    if (customers_.FindById(c->customer_id) == nullptr) {
      r = MarketingResult::kCustomerNotFound;
    } else if (!CheckClaimRisk(*c)) {  // state_machine_risk.cc
      r = MarketingResult::kRiskDenied;
    } else if (const marketing::Error e =
                   campaigns_.ClaimCoupon(c->template_id, c->customer_id, now_s, &reply.value);
               !e.ok()) {
      r = Refused(e, &reply);
    } else {
      r = MarketingResult::kOk;
    }
  } else if (const auto* c = std::get_if<IssueCoupons>(&command)) {
    const bool all_known = std::all_of(c->customer_ids.begin(), c->customer_ids.end(),
                                       [&](uint64_t id) { return customers_.FindById(id); });
    if (staff_.FindById(c->staff_id) == nullptr) {
      r = MarketingResult::kStaffNotFound;
    } else if (c->customer_ids.empty() || c->customer_ids.size() > kMaxCouponIssuePerCommand) {
      r = MarketingResult::kInvalid;
    } else if (!all_known) {
      r = MarketingResult::kCustomerNotFound;
    } else if (const marketing::Error e =
                   campaigns_.IssueCoupons(c->template_id, c->customer_ids, now_s, &reply.value);
               !e.ok()) {
      r = Refused(e, &reply);
    } else {
      r = MarketingResult::kOk;
    }
  } else if (const auto* c = std::get_if<EditCustomerList>(&command)) {
    r = ApplyEditCustomerList(*c, now_s, &reply);
  } else {
    QB_ASSERT(false && "unhandled marketing command");
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

void StateMachine::AuditMarketing(const Command& command, const Reply& reply) {
  using audit::ActorKind;
  auto campaign = [](uint64_t id) { return "campaign:" + std::to_string(id); };
  if (const auto* c = std::get_if<CreateCampaign>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "campaign.create", campaign(reply.value),
          "{\"type\":\"" + std::string(marketing::CampaignTypeName(c->config.type)) +
              "\",\"budget_fen\":" + std::to_string(c->config.caps.budget_total_fen) + "}");
  } else if (const auto* c = std::get_if<UpdateCampaign>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "campaign.update", campaign(c->config.id), "");
  } else if (const auto* c = std::get_if<TransitionCampaign>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "campaign.transition", campaign(c->campaign_id),
          "{\"status\":\"" + std::string(marketing::CampaignStatusName(c->status)) + "\"}");
  } else if (const auto* c = std::get_if<FundCampaign>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "campaign.fund", campaign(c->campaign_id),
          "{\"amount_fen\":" + std::to_string(c->amount_fen) +
              ",\"merchant_id\":" + std::to_string(c->merchant_id) + "}");
  } else if (const auto* c = std::get_if<CreateCouponTemplate>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "coupon_template.create",
          "coupon_template:" + std::to_string(reply.value),
          "{\"campaign_id\":" + std::to_string(c->config.campaign_id) +
              ",\"stock\":" + std::to_string(c->config.stock) + "}");
  } else if (const auto* c = std::get_if<EditCustomerList>(&command)) {
    // The members are not listed: the journal keeps them, the audit log says how many.
    const uint32_t id =
        c->op == CustomerListOp::kCreate ? static_cast<uint32_t>(reply.value) : c->list_id;
    static constexpr std::string_view kActions[] = {"", "customer_list.create", "customer_list.add",
                                                    "customer_list.remove", "customer_list.delete"};
    std::string details;
    if (c->op == CustomerListOp::kAdd || c->op == CustomerListOp::kRemove) {
      details = "{\"listed\":" + std::to_string(c->customer_ids.size()) +
                ",\"changed\":" + std::to_string(reply.value) + "}";
    }
    Audit(ActorKind::kStaff, c->staff_id, std::string(kActions[static_cast<uint8_t>(c->op)]),
          "customer_list:" + std::to_string(id), details);
  } else if (const auto* c = std::get_if<IssueCoupons>(&command)) {
    Audit(ActorKind::kStaff, c->staff_id, "coupon.issue",
          "coupon_template:" + std::to_string(c->template_id),
          "{\"count\":" + std::to_string(c->customer_ids.size()) +
              ",\"first_coupon_id\":" + std::to_string(reply.value) + "}");
  }
}

void StateMachine::SerializeMarketing(std::string* out) const {
  std::string book;
  campaigns_.Serialize(&book);
  ByteWriter writer(out);
  writer.U64(book.size());
  writer.Bytes(book);
  std::vector<uint64_t> paid(customers_paid_.begin(), customers_paid_.end());
  std::sort(paid.begin(), paid.end());
  writer.U64(paid.size());
  for (const uint64_t customer : paid) writer.U64(customer);
  std::vector<std::pair<uint64_t, uint64_t>> pairs(paid_at_merchant_.begin(),
                                                   paid_at_merchant_.end());
  std::sort(pairs.begin(), pairs.end());
  writer.U64(pairs.size());
  for (const auto& [customer, merchant] : pairs) {
    writer.U64(customer);
    writer.U64(merchant);
  }
  std::vector<std::pair<uint64_t, PaymentMarketing>> entries(payment_marketing_.begin(),
                                                             payment_marketing_.end());
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  writer.U64(entries.size());
  for (const auto& [payment_id, entry] : entries) {
    writer.U64(payment_id);
    writer.U64(entry.coupon_id);
    writer.I64(entry.discount_fen);
    writer.I64(entry.cashback_fen);
  }
}

bool StateMachine::DeserializeMarketing(std::string_view bytes) {
  ByteReader reader(bytes);
  const uint64_t book_bytes = reader.U64();
  if (!reader.ok() || book_bytes > reader.remaining()) return false;
  if (!campaigns_.Deserialize(reader.Bytes(book_bytes))) return false;
  auto plausible = [&](uint64_t count, size_t each) {
    return reader.ok() && count <= reader.remaining() / each;
  };
  uint64_t count = reader.U64();
  if (!plausible(count, 8)) return false;
  uint64_t previous = 0;
  for (uint64_t i = 0; i < count; i++) {
    const uint64_t customer = reader.U64();
    if (i > 0 && customer <= previous) return false;
    customers_paid_.insert(customer);
    previous = customer;
  }
  count = reader.U64();
  if (!plausible(count, 16)) return false;
  std::pair<uint64_t, uint64_t> previous_pair{0, 0};
  for (uint64_t i = 0; i < count; i++) {
    const std::pair<uint64_t, uint64_t> pair{reader.U64(), reader.U64()};
    if (i > 0 && pair <= previous_pair) return false;
    paid_at_merchant_.insert(pair);
    previous_pair = pair;
  }
  count = reader.U64();
  if (!plausible(count, 32)) return false;
  for (uint64_t i = 0; i < count; i++) {
    const uint64_t payment_id = reader.U64();
    PaymentMarketing entry;
    entry.coupon_id = reader.U64();
    entry.discount_fen = reader.I64();
    entry.cashback_fen = reader.I64();
    // An entry that says nothing is never written: it would hash differently from none.
    if ((i > 0 && payment_id <= previous) || entry == PaymentMarketing{} ||
        entry.discount_fen < 0 || entry.cashback_fen < 0) {
      return false;
    }
    payment_marketing_.emplace(payment_id, entry);
    previous = payment_id;
  }
  if (!reader.ok() || reader.remaining() != 0) return false;
  RebuildCashbackHolds();  // The ledger came first in the checkpoint.
  return true;
}

}  // namespace qb::engine
