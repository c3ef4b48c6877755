// The customer's money routes: top-ups, withdrawals and transfers (api_contract.md, "Customer:
// wallet"). AddMoneyRoutes also registers the balance, identity and card routes
// (identity_card_routes.cc) and history (history_routes.cc); money_internal.h is what they share.
//
// No handler blocks its I/O thread. Engine state is read with engine::Query (a copy taken on
// the engine thread, answered in command order); commands are submitted with a callback that
// answers; the identity verifier, the bank and the read models run on the worker pool.
//
// Money POSTs need an Idempotency-Key. Beyond the in-memory IdempotencyCache, the ledger makes
// retries safe across restarts: the transfer id is derived from (customer, key, purpose), so a
// retry the cache no longer remembers meets the engine's kDuplicate, and the answer is rebuilt
// from the transfer already in the ledger (or 409 when the request differs from it).
//
// Top-ups and withdrawals are two-phase: a hold in the ledger, the bank, then post or void.
// When the bank's outcome cannot be learned (a capture that keeps timing out) the hold stays
// pending and the answer is 201 with status "processing"; a retry with the same key, or a
// reconciliation job, settles it later. A retry after a failure (hold voided) answers 201 with
// status "failed": nothing moved, and a new attempt needs a new key.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/digest.h"
#include "engine/state_machine.h"
#include "identity/phone.h"
#include "server/log.h"
#include "wallet/device_factor.h"
#include "wallet/handler_util.h"
#include "wallet/money_internal.h"
#include "wallet/step_up.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {

// --- Shared with the payment routes (declared in money_internal.h) ---

// LIMIT_EXCEEDED with the contract's extra member: {"error":{"code","message","limit"}}.
HttpResponse LimitExceeded(std::string_view limit, std::string message) {
  const api::ApiError error = api::MakeError(api::ErrorCode::kLimitExceeded, std::move(message));
  api::JsonObjectWriter inner;
  inner.String("code", error.code).String("message", error.message).String("limit", limit);
  api::JsonObjectWriter body;
  body.Object("error", std::move(inner));
  return api::JsonResponse(error.http_status, body);
}

// The idempotency entry is completed with every answer a retry should see again. Answers that
// ask the client to come back (5xx, or Retry-After on a top-up still "processing") abandon it,
// so the retry runs afresh, meets the ledger's record and can finish what was left open.
static Responder CompletingResponder(WalletContext& context, std::string principal, std::string key,
                                     Responder respond) {
  return [&cache = Idempotency(context), principal = std::move(principal), key = std::move(key),
          respond = std::move(respond)](HttpResponse response) {
    bool come_back = response.status >= 500;
    for (const auto& [name, value] : response.headers) come_back |= name == "Retry-After";
    if (come_back) {
      cache.Abandon(principal, key);
    } else {
      cache.Complete(principal, key, response);
    }
    respond(std::move(response));
  };
}

// Starts the idempotent handling of a money POST: the responder that records the answer, or
// nullopt after answering a replay, a conflict or a malformed key.
std::optional<Responder> BeginIdempotent(WalletContext& context, const HttpRequest& request,
                                         const std::string& owner, const Responder& respond) {
  const std::string key(request.Header("Idempotency-Key"));
  api::IdempotencyBegin begin = Idempotency(context).Begin(
      owner, key, api::IdempotencyDigest(request.method, request.Path(), request.body));
  switch (begin.outcome) {
    case api::IdempotencyOutcome::kNew:
      return CompletingResponder(context, owner, key, respond);
    case api::IdempotencyOutcome::kReplay:
      respond(std::move(begin.response));
      return std::nullopt;
    case api::IdempotencyOutcome::kMismatch:
      respond(Error(api::ErrorCode::kIdempotencyKeyReused,
                    "this Idempotency-Key was used for a different request"));
      return std::nullopt;
    case api::IdempotencyOutcome::kInProgress:
      respond(Error(api::ErrorCode::kIdempotencyKeyInProgress,
                    "a request with this Idempotency-Key is still being processed"));
      return std::nullopt;
    case api::IdempotencyOutcome::kInvalidKey:
      break;
  }
  respond(Error(api::ErrorCode::kBadRequest, "Idempotency-Key must be 1-64 of [A-Za-z0-9_-]"));
  return std::nullopt;
}

// Answers a request whose Idempotency-Key already holds a completed answer to the same request
// (true), before the PIN and factors are checked again: a retry moves nothing, and a factor
// spent by the first try (a device signature, a TOTP step) must not turn the retry into a
// refusal. Anything else is left to BeginIdempotent (false).
static bool AnswerRetry(WalletContext& context, const HttpRequest& request,
                        const std::string& owner, const Responder& respond) {
  const std::string key(request.Header("Idempotency-Key"));
  api::IdempotencyBegin begin = Idempotency(context).Begin(
      owner, key, api::IdempotencyDigest(request.method, request.Path(), request.body));
  if (begin.outcome == api::IdempotencyOutcome::kReplay) {
    respond(std::move(begin.response));
    return true;
  }
  // Only looking: a new entry is given back, for BeginIdempotent to take when the time comes.
  if (begin.outcome == api::IdempotencyOutcome::kNew) Idempotency(context).Abandon(owner, key);
  return false;
}

bool RequireIdempotencyKey(const HttpRequest& request, const Responder& respond) {
  if (!request.Header("Idempotency-Key").empty()) return true;
  respond(Error(api::ErrorCode::kIdempotencyKeyRequired, "this request needs an Idempotency-Key"));
  return false;
}

// --- Derived ids ---

// A transfer id from a digest: the first 8 bytes that are neither 0 nor UINT64_MAX (both
// reserved by the ledger). Four tries: a digest failing all of them is not going to happen.
uint64_t IdFromDigest(const Digest& digest) {
  for (size_t offset = 0; offset + 8 <= digest.size(); offset += 8) {
    uint64_t id = 0;
    for (size_t i = 0; i < 8; ++i) id = (id << 8) | digest[offset + i];
    if (id != 0 && id != UINT64_MAX) return id;
  }
  QB_ASSERT(false && "digest without a usable id");
  return 1;
}

uint64_t DeriveTransferId(uint64_t customer_id, std::string_view key, std::string_view purpose) {
  Hasher hasher;
  hasher.Update("qianbao/wallet/transfer-id/v1");
  hasher.UpdateU64(customer_id);
  hasher.UpdateU64(key.size());
  hasher.Update(key);
  hasher.UpdateU64(purpose.size());
  hasher.Update(purpose);
  return IdFromDigest(hasher.Finish());
}

namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::MoneyResult;

constexpr std::string_view kCny = "CNY";
// The contract's bound on one top-up, withdrawal or transfer: ¥1,000,000.
constexpr int64_t kMaxMoneyRequestFen = 100'000'000;
constexpr size_t kMaxMemoChars = 50;
constexpr size_t kMaxPhoneInputChars = 32;
constexpr int kMaxCaptureAttempts = 3;

HttpResponse MoneyError(MoneyResult result) {
  switch (result) {
    case MoneyResult::kReceiverNotFound:
      return Error(ErrorCode::kPayeeNotFound, "no wallet is registered with that phone number");
    case MoneyResult::kSameCustomer:
      return Error(ErrorCode::kSameAccount, "a transfer needs another customer's wallet");
    case MoneyResult::kExceedsPerPayment:
      return LimitExceeded("per_payment", "the amount is above your wallet's per-payment limit");
    case MoneyResult::kExceedsDaily:
      return LimitExceeded("daily", "the amount would exceed your wallet's daily limit");
    case MoneyResult::kExceedsYearly:
      return LimitExceeded("yearly", "the amount would exceed your wallet's yearly limit");
    case MoneyResult::kReceiverBalanceCap:
      return LimitExceeded("balance_cap", "the receiving wallet would exceed its balance cap");
    case MoneyResult::kInsufficientFunds:
      return Error(ErrorCode::kInsufficientFunds, "the wallet's available balance is too low");
    case MoneyResult::kCardNotFound:
      return Error(ErrorCode::kCardNotFound, "no such card is bound to your wallet");
    case MoneyResult::kRiskDenied:
      return ErrorResponse(RiskDeniedError());  // risk_routes.cc
    default:
      break;
  }
  LogError("money command failed unexpectedly", {{"result", engine::MoneyResultName(result)}});
  return Error(ErrorCode::kInternal, "the request could not be executed");
}

uint64_t SettleIdOf(uint64_t hold_id) {
  Hasher hasher;
  hasher.Update("qianbao/wallet/settle-id/v1");
  hasher.UpdateU64(hold_id);
  return IdFromDigest(hasher.Finish());
}

std::string Hex64(uint64_t value) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (size_t i = 0; i < 16; ++i) text[15 - i] = kDigits[(value >> (4 * i)) & 0xF];
  return text;
}

// --- Top-ups and withdrawals ---

struct Hold {
  engine::HoldKind kind = engine::HoldKind::kTopUp;
  uint64_t customer_id = 0;
  uint64_t hold_id = 0;
  int64_t amount_fen = 0;
  identity::BoundCard card;
  int64_t created_ns = 0;
};
using HoldPtr = std::shared_ptr<Hold>;

// What the bank's answers mean for the hold.
enum class BankOutcome : uint8_t {
  kPost,         // The money moved at the bank.
  kDeclined,     // The bank refused; nothing moved.
  kUnavailable,  // The bank did not process it; nothing moved.
  kUnknown,      // Cannot tell yet: leave the hold pending.
};

BankOutcome OutcomeOfRefusal(bank::BankResultCode code) {
  switch (code) {
    case bank::BankResultCode::kDeclinedInvalidCard:
    case bank::BankResultCode::kDeclinedCardBlocked:
    case bank::BankResultCode::kDeclinedLimit:
    case bank::BankResultCode::kDeclinedInsufficientFunds:
      return BankOutcome::kDeclined;
    case bank::BankResultCode::kUnavailable:
      return BankOutcome::kUnavailable;
    default:
      break;
  }
  // A malformed or reused request: the bank processed nothing, but it is a bug here.
  LogError("bank refused a wallet request", {{"bank_result", bank::BankResultCodeName(code)}});
  return BankOutcome::kUnavailable;
}

BankOutcome Capture(bank::BankGateway& bank, const std::string& auth_id) {
  for (int attempt = 0; attempt < kMaxCaptureAttempts; ++attempt) {
    const bank::BankResult captured = bank.Capture(auth_id);
    if (captured.approved()) return BankOutcome::kPost;
    // Voided at the bank (by reconciliation): nothing moved there, so nothing may move here.
    if (captured.code == bank::BankResultCode::kInvalidState) return BankOutcome::kUnavailable;
    if (captured.code != bank::BankResultCode::kTimeout &&
        captured.code != bank::BankResultCode::kUnavailable) {
      LogError("capture refused", {{"bank_result", bank::BankResultCodeName(captured.code)}});
      return BankOutcome::kUnknown;
    }
  }
  return BankOutcome::kUnknown;
}

// What an answered Status means for a top-up's hold.
BankOutcome TopUpFromStatus(bank::BankGateway& bank, const bank::TransactionStatus& status) {
  if (!status.result.approved()) return OutcomeOfRefusal(status.result.code);
  switch (status.state) {
    case bank::AuthorizationState::kCaptured:
      return BankOutcome::kPost;
    case bank::AuthorizationState::kVoided:
      return BankOutcome::kUnavailable;
    case bank::AuthorizationState::kHeld:
      return Capture(bank, status.result.bank_reference);
    case bank::AuthorizationState::kNone:
      break;
  }
  return BankOutcome::kUnknown;
}

// Top-up: authorize on the card, then capture. `resume` is set when the hold existed before
// this request (a retry): an earlier attempt may have reached the bank, so the bank is asked
// first, and an "unavailable" from a new Authorize can no longer mean that nothing happened
// unless Status said so.
BankOutcome TopUpAtBank(bank::BankGateway& bank, const Hold& hold, bool resume) {
  const std::string request_id = Hex64(hold.hold_id);
  if (resume) {
    const bank::TransactionStatus status = bank.Status(request_id);
    if (status.found) return TopUpFromStatus(bank, status);
  }
  const bank::BankResult auth = bank.Authorize(bank::DebitRequest{
      request_id, hold.card.bank_token, hold.amount_fen, std::string(bank::kCurrencyCny)});
  if (auth.approved()) return Capture(bank, auth.bank_reference);
  if (auth.code != bank::BankResultCode::kTimeout) return OutcomeOfRefusal(auth.code);
  const bank::TransactionStatus status = bank.Status(request_id);
  if (!status.found) return BankOutcome::kUnavailable;  // Never processed: safe to release.
  return TopUpFromStatus(bank, status);
}

// Withdrawal: one payout to the card; `resume` as for TopUpAtBank.
BankOutcome WithdrawAtBank(bank::BankGateway& bank, const Hold& hold, bool resume) {
  const std::string request_id = Hex64(hold.hold_id);
  bank::TransactionStatus status;
  if (resume) status = bank.Status(request_id);
  if (!status.found) {
    const bank::BankResult payout = bank.Payout(bank::PayoutRequest{
        request_id, hold.card.bank_token, hold.amount_fen, std::string(bank::kCurrencyCny)});
    if (payout.approved()) return BankOutcome::kPost;
    if (payout.code != bank::BankResultCode::kTimeout) return OutcomeOfRefusal(payout.code);
    status = bank.Status(request_id);
    if (!status.found) return BankOutcome::kUnavailable;
  }
  return status.result.approved() ? BankOutcome::kPost : OutcomeOfRefusal(status.result.code);
}

HttpResponse HoldResponse(const Hold& hold, std::string_view status) {
  api::JsonObjectWriter json;
  json.String("id", std::to_string(hold.hold_id))
      .String("type", hold.kind == engine::HoldKind::kTopUp ? "top_up" : "withdrawal")
      .Amount("amount", hold.amount_fen)
      .String("currency", kCny)
      .String("status", status)
      .Object("card", CardJson(hold.card))
      .String("created_at", Rfc3339(hold.created_ns));
  HttpResponse response = api::JsonResponse(201, json);
  // The bank's outcome is not known yet: a retry with the same key will look again.
  if (status == "processing") response.headers.emplace_back("Retry-After", "5");
  return response;
}

HttpResponse SettledResponse(const Hold& hold, BankOutcome outcome) {
  switch (outcome) {
    case BankOutcome::kPost:
      return HoldResponse(hold, "completed");
    case BankOutcome::kDeclined:
      return Error(ErrorCode::kBankDeclined, "the bank declined; nothing moved");
    case BankOutcome::kUnavailable:
      return Error(ErrorCode::kBankUnavailable,
                   "the bank is unavailable; nothing moved. Retry with a new Idempotency-Key");
    case BankOutcome::kUnknown:
      break;
  }
  return HoldResponse(hold, "processing");
}

// Answers from the ledger's record of a hold: a retry of a settled request, or a settle that
// lost a race with another.
void AnswerFromLedger(WalletContext& context, const HoldPtr& hold, const Responder& respond,
                      std::function<void()> still_pending);

void Settle(WalletContext& context, const HoldPtr& hold, BankOutcome outcome,
            const Responder& respond) {
  if (outcome == BankOutcome::kUnknown) {
    LogWarn("bank outcome unknown; hold left pending", {{"hold", std::to_string(hold->hold_id)}});
    return respond(HoldResponse(*hold, "processing"));
  }
  engine::SettleHold command{SettleIdOf(hold->hold_id), hold->hold_id,
                             outcome == BankOutcome::kPost};
  SubmitCommand(context, command, respond,
                [&context, hold, outcome, respond](uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<MoneyResult>(result);
                  if (code == MoneyResult::kOk) return respond(SettledResponse(*hold, outcome));
                  if (code == MoneyResult::kDuplicate || code == MoneyResult::kHoldSettled) {
                    return AnswerFromLedger(context, hold, respond, [hold, respond] {
                      respond(HoldResponse(*hold, "processing"));
                    });
                  }
                  respond(MoneyError(code));
                });
}

void DriveBank(WalletContext& context, const HoldPtr& hold, bool resume, const Responder& respond) {
  RunOnWorker(
      context,
      [&context, hold, resume, respond] {
        bank::BankGateway& bank = *Services(context).bank;
        const BankOutcome outcome = hold->kind == engine::HoldKind::kTopUp
                                        ? TopUpAtBank(bank, *hold, resume)
                                        : WithdrawAtBank(bank, *hold, resume);
        Settle(context, hold, outcome, respond);
      },
      respond);
}

struct HoldRecord {
  std::optional<ledger::Transfer> transfer;
  std::optional<ledger::PendingStatus> status;
  uint64_t wallet_account_id = 0;
};

void AnswerFromLedger(WalletContext& context, const HoldPtr& hold, const Responder& respond,
                      std::function<void()> still_pending) {
  const uint64_t hold_id = hold->hold_id;
  const uint64_t customer_id = hold->customer_id;
  ReadEngine<HoldRecord>(
      context, respond,
      [hold_id, customer_id](const engine::StateMachine& state) {
        HoldRecord record;
        if (const ledger::Transfer* transfer = state.ledger().FindTransfer(hold_id)) {
          record.transfer = *transfer;
        }
        record.status = state.ledger().FindPendingStatus(hold_id);
        if (const identity::Customer* customer = state.customers().FindById(customer_id)) {
          record.wallet_account_id = customer->wallet_account_id;
        }
        return record;
      },
      [hold, respond, still_pending = std::move(still_pending)](HoldRecord record) {
        const bool top_up = hold->kind == engine::HoldKind::kTopUp;
        const ledger::Transfer* transfer = record.transfer ? &*record.transfer : nullptr;
        const bool same =
            transfer != nullptr && record.status.has_value() &&
            transfer->code ==
                (top_up ? engine::kTransferCodeTopUp : engine::kTransferCodeWithdrawal) &&
            transfer->amount == hold->amount_fen && transfer->user_data == hold->card.id &&
            (top_up ? transfer->credit_account_id : transfer->debit_account_id) ==
                record.wallet_account_id;
        if (!same) {
          return respond(Error(ErrorCode::kIdempotencyKeyReused,
                               "this Idempotency-Key was used for a different request"));
        }
        hold->created_ns = transfer->timestamp_ns;
        switch (*record.status) {
          case ledger::PendingStatus::kPending:
            return still_pending();
          case ledger::PendingStatus::kPosted:
            return respond(HoldResponse(*hold, "completed"));
          case ledger::PendingStatus::kVoided:
          case ledger::PendingStatus::kExpired:
            break;
        }
        respond(HoldResponse(*hold, "failed"));
      });
}

void StartHold(WalletContext& context, const HttpRequest& request, uint64_t customer_id,
               uint64_t card_id, int64_t amount_fen, engine::HoldKind kind,
               const Responder& respond);

void PostHold(WalletContext& context, HttpRequest&& request, Responder respond,
              engine::HoldKind kind) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string card_text = reader.RequiredString("card_id", 20);
  const int64_t amount_fen = reader.RequiredAmount("amount", kMaxMoneyRequestFen);
  reader.RequiredEnum("currency", {kCny});
  std::optional<std::string> pin = reader.OptionalString("payment_pin", kMaxPaymentPinChars);
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  const std::optional<uint64_t> card_id = ParseId(card_text);
  if (!card_id) return respond(Error(ErrorCode::kCardNotFound, "no such card"));
  // A withdrawal pays out of the balance: the PIN first, before the Idempotency-Key is taken,
  // so a refused PIN leaves nothing behind and a retry with the right one can use the same key.
  auto held = std::make_shared<HttpRequest>(std::move(request));
  auto start = [&context, held, customer_id = principal->id, card_id = *card_id, amount_fen, kind,
                respond] {
    StartHold(context, *held, customer_id, card_id, amount_fen, kind, respond);
  };
  if (kind == engine::HoldKind::kTopUp) return start();
  RequirePaymentPin(context, principal->id, std::move(pin), respond, std::move(start));
}

void StartHold(WalletContext& context, const HttpRequest& request, uint64_t customer_id,
               uint64_t card_id, int64_t amount_fen, engine::HoldKind kind,
               const Responder& respond) {
  std::optional<Responder> answer =
      BeginIdempotent(context, request, std::to_string(customer_id), respond);
  if (!answer) return;

  auto hold = std::make_shared<Hold>();
  hold->kind = kind;
  hold->customer_id = customer_id;
  hold->hold_id = DeriveTransferId(customer_id, request.Header("Idempotency-Key"),
                                   kind == engine::HoldKind::kTopUp ? "top_up" : "withdrawal");
  hold->amount_fen = amount_fen;
  // For the risk rules (card testing, dormant accounts, block lists): keyed hashes only.
  std::string device_hash = DeviceHash(context, DeviceIdOf(request));
  std::string ip_hash = IpHash(context, request.remote_address);
  ReadCustomer(
      context, customer_id, *answer,
      [&context, hold, card_id, device_hash = std::move(device_hash), ip_hash = std::move(ip_hash),
       respond = *answer](CustomerSnapshot snapshot) mutable {
        const identity::BoundCard* card = snapshot.customer.FindCard(card_id);
        if (card == nullptr) return respond(MoneyError(MoneyResult::kCardNotFound));
        hold->card = *card;
        engine::HoldFunds command{hold->kind,        hold->hold_id,    hold->customer_id,
                                  card_id,           hold->amount_fen, std::move(device_hash),
                                  std::move(ip_hash)};
        SubmitCommand(context, command, respond,
                      [&context, hold, respond](uint8_t result, const engine::Reply& reply) {
                        const auto code = static_cast<MoneyResult>(result);
                        if (code == MoneyResult::kOk) {
                          hold->created_ns = reply.batch_time_ns;
                          return DriveBank(context, hold, /*resume=*/false, respond);
                        }
                        if (code == MoneyResult::kDuplicate) {
                          return AnswerFromLedger(
                              context, hold, respond, [&context, hold, respond] {
                                DriveBank(context, hold, /*resume=*/true, respond);
                              });
                        }
                        respond(MoneyError(code));
                      });
      });
}

// --- Transfers ---

struct P2PRecord {
  std::optional<ledger::Transfer> transfer;
  uint64_t payer_wallet_id = 0;
  uint64_t payee_wallet_id = 0;
  std::string payee_phone;
  std::string payee_name;  // Clear; masked before it leaves.
};

struct P2PRequest {
  uint64_t transfer_id = 0;
  uint64_t customer_id = 0;
  std::string to_phone;
  int64_t amount_fen = 0;
  std::string memo;
  engine::PaymentAuth auth;
};

// The 201 body of a transfer, as the contract shows it.
HttpResponse TransferResponse(const P2PRequest& p2p, std::string_view payee_phone,
                              std::string_view payee_name_masked, int64_t timestamp_ns) {
  api::JsonObjectWriter counterparty;
  counterparty.String("phone_masked", identity::MaskPhone(payee_phone));
  if (payee_name_masked.empty()) {
    counterparty.Null("name_masked");
  } else {
    counterparty.String("name_masked", payee_name_masked);
  }
  api::JsonObjectWriter json;
  json.String("id", std::to_string(p2p.transfer_id))
      .String("type", "p2p_out")
      .Amount("amount", p2p.amount_fen)
      .String("currency", kCny)
      .String("status", "completed")
      .Object("counterparty", std::move(counterparty));
  if (p2p.memo.empty()) {
    json.Null("memo");
  } else {
    json.String("memo", p2p.memo);
  }
  json.String("created_at", Rfc3339(timestamp_ns));
  return api::JsonResponse(201, json);
}

// A retry whose transfer id already exists (the idempotency cache forgot it, e.g. after a
// restart): the ledger's transfer answers, if it is the same request.
void AnswerDuplicateTransfer(WalletContext& context, std::shared_ptr<P2PRequest> p2p,
                             const Responder& respond) {
  ReadEngine<P2PRecord>(
      context, respond,
      [p2p](const engine::StateMachine& state) {
        P2PRecord record;
        if (const ledger::Transfer* transfer = state.ledger().FindTransfer(p2p->transfer_id)) {
          record.transfer = *transfer;
        }
        if (const identity::Customer* payer = state.customers().FindById(p2p->customer_id)) {
          record.payer_wallet_id = payer->wallet_account_id;
        }
        if (const identity::Customer* payee = state.customers().FindByPhone(p2p->to_phone)) {
          record.payee_wallet_id = payee->wallet_account_id;
          record.payee_phone = payee->phone;
          if (payee->identity) record.payee_name = payee->identity->real_name;
        }
        return record;
      },
      [p2p, respond](P2PRecord record) {
        const ledger::Transfer* transfer = record.transfer ? &*record.transfer : nullptr;
        const bool same = transfer != nullptr && transfer->code == engine::kTransferCodeP2P &&
                          transfer->amount == p2p->amount_fen &&
                          transfer->debit_account_id == record.payer_wallet_id &&
                          transfer->credit_account_id == record.payee_wallet_id;
        if (!same) {
          return respond(Error(ErrorCode::kIdempotencyKeyReused,
                               "this Idempotency-Key was used for a different request"));
        }
        const std::string name =
            record.payee_name.empty() ? "" : identity::MaskRealName(record.payee_name);
        respond(TransferResponse(*p2p, record.payee_phone, name, transfer->timestamp_ns));
      });
}

void SubmitTransfer(WalletContext& context, const HttpRequest& request,
                    const std::shared_ptr<P2PRequest>& p2p, const Responder& respond);

void PostTransfer(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  if (!RequireIdempotencyKey(request, respond)) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  const std::string to_phone = reader.RequiredString("to_phone", kMaxPhoneInputChars);
  const int64_t amount_fen = reader.RequiredAmount("amount", kMaxMoneyRequestFen);
  reader.RequiredEnum("currency", {kCny});
  std::optional<std::string> memo =
      reader.OptionalString("memo", kMaxMemoChars, api::TextPolicy::kSingleLine, 0);
  std::optional<std::string> pin = reader.OptionalString("payment_pin", kMaxPaymentPinChars);
  PaymentFactors factors = ReadPaymentFactors(reader);
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  if (auto problem = FactorProblem(factors)) return respond(std::move(*problem));
  std::optional<std::string> phone = identity::NormalizePhone(to_phone);
  if (!phone) {
    return respond(Error(ErrorCode::kFieldInvalid, "to_phone is not a mainland mobile number"));
  }
  if (AnswerRetry(context, request, std::to_string(principal->id), respond)) return;
  auto p2p = std::make_shared<P2PRequest>();
  p2p->customer_id = principal->id;
  p2p->to_phone = std::move(*phone);
  p2p->amount_fen = amount_fen;
  p2p->memo = memo.value_or("");
  // The PIN and any second factor before the Idempotency-Key is taken (see StartHold's
  // caller). A transfer holds nothing: one refused with CHALLENGE_REQUIRED is repeated with a
  // factor under a new key (a device signature names that key: TransferChallengeContext).
  auto held = std::make_shared<HttpRequest>(std::move(request));
  const uint64_t customer_id = principal->id;
  RequirePaymentPin(
      context, customer_id, std::move(pin), respond,
      [&context, held, p2p, customer_id, factors = std::move(factors), respond]() mutable {
        // A device signature binds this very request: payee, amount and Idempotency-Key.
        std::string device_context = TransferChallengeContext(held->Header("Idempotency-Key"),
                                                              p2p->to_phone, p2p->amount_fen);
        AuthenticatePayment(context, customer_id, *held, std::move(factors),
                            std::move(device_context), respond,
                            [&context, held, p2p, respond](engine::PaymentAuth auth) {
                              p2p->auth = std::move(auth);
                              SubmitTransfer(context, *held, p2p, respond);
                            });
      });
}

void SubmitTransfer(WalletContext& context, const HttpRequest& request,
                    const std::shared_ptr<P2PRequest>& p2p, const Responder& respond) {
  std::optional<Responder> answer =
      BeginIdempotent(context, request, std::to_string(p2p->customer_id), respond);
  if (!answer) return;
  p2p->transfer_id = DeriveTransferId(p2p->customer_id, request.Header("Idempotency-Key"), "p2p");
  const int64_t amount_fen = p2p->amount_fen;
  engine::P2PTransfer command{p2p->transfer_id, p2p->customer_id, p2p->to_phone,
                              amount_fen,       p2p->memo,        p2p->auth};
  SubmitCommand(
      context, std::move(command), *answer,
      [&context, p2p, respond = *answer](uint8_t result, const engine::Reply& reply) {
        const auto code = static_cast<MoneyResult>(result);
        // The reply carries what the answer needs: no second trip to the engine.
        if (code == MoneyResult::kOk) {
          return respond(
              TransferResponse(*p2p, p2p->to_phone, reply.text, static_cast<int64_t>(reply.value)));
        }
        if (code == MoneyResult::kDuplicate) {
          return AnswerDuplicateTransfer(context, p2p, respond);
        }
        if (code == MoneyResult::kChallengeRequired) {
          return respond(ChallengeRequired(static_cast<identity::AuthStrength>(reply.value), 0, 0,
                                           /*transfer=*/true));
        }
        if (code == MoneyResult::kSecondFactorRejected) {
          return respond(
              ErrorResponse(IdentityError(static_cast<identity::IdentityResult>(reply.value))));
        }
        respond(MoneyError(code));
      });
}

}  // namespace

void AddMoneyRoutes(Router& router, WalletContext& context) {
  AddIdentityCardRoutes(router, context);
  WalletContext* shared = &context;
  auto route = [shared](void (*handler)(WalletContext&, HttpRequest&&, Responder)) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      handler(*shared, std::move(request), std::move(respond));
    };
  };
  router.Add("POST", "/api/v1/me/top-ups", [shared](HttpRequest&& request, Responder respond) {
    PostHold(*shared, std::move(request), std::move(respond), engine::HoldKind::kTopUp);
  });
  router.Add("POST", "/api/v1/me/withdrawals", [shared](HttpRequest&& request, Responder respond) {
    PostHold(*shared, std::move(request), std::move(respond), engine::HoldKind::kWithdrawal);
  });
  router.Add("POST", "/api/v1/me/transfers", route(PostTransfer));
  AddHistoryRoutes(router, context);
  AddPinRoutes(router, context);
}

}  // namespace qb::wallet
