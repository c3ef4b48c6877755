// The customer's money routes: balance, identity verification, cards, top-ups, withdrawals,
// transfers and history (api_contract.md, "Customer: wallet").
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
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/cursor.h"
#include "api/query.h"
#include "base/digest.h"
#include "engine/state_machine.h"
#include "identity/card.h"
#include "identity/identity_verifier.h"
#include "identity/phone.h"
#include "identity/resident_id.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::MoneyResult;

constexpr std::string_view kCny = "CNY";
// The contract's bound on one top-up, withdrawal or transfer: ¥1,000,000.
constexpr int64_t kMaxMoneyRequestFen = 100'000'000;
constexpr size_t kMaxMemoChars = 50;
constexpr size_t kMaxCardNumberChars = 40;
constexpr size_t kMaxRealNameInputChars = 64;  // IsPlausibleRealName decides; this bounds work.
constexpr size_t kMaxResidentIdInputChars = 32;
constexpr size_t kMaxPhoneInputChars = 32;
constexpr int kMaxCaptureAttempts = 3;
// Store pages read for one history page when a type mix needs filtering after the query.
constexpr int kMaxHistoryScans = 10;
constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kChinaOffsetSeconds = 8 * 3600;

// --- Engine access ---

// Runs `read` on the engine thread at its place in the command order, then `then` with the copy
// it made once everything before it is durable. An engine refusal answers through `respond`.
template <typename T>
void ReadEngine(WalletContext& context, const Responder& respond,
                std::function<T(const engine::StateMachine&)> read, std::function<void(T)> then) {
  auto value = std::make_shared<std::optional<T>>();
  engine::Query query{
      [value, read = std::move(read)](const engine::StateMachine& state) { *value = read(state); }};
  Services(context).engine->Submit(
      std::move(query), [value, respond, then = std::move(then)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk || !value->has_value()) {
          respond(EngineFailureResponse(reply));
          return;
        }
        then(std::move(**value));
      });
}

// Submits a command and calls `then` with its single result code; refusals answer `respond`.
void SubmitCommand(WalletContext& context, engine::Command command, const Responder& respond,
                   std::function<void(uint8_t result, const engine::Reply&)> then) {
  Services(context).engine->Submit(
      std::move(command), [respond, then = std::move(then)](engine::Reply&& reply) {
        if (reply.status != engine::ReplyStatus::kOk || reply.results.size() != 1) {
          respond(EngineFailureResponse(reply));
          return;
        }
        then(reply.results[0], reply);
      });
}

// A customer as the engine holds them, with their wallet and tier policy.
struct CustomerSnapshot {
  identity::Customer customer;
  ledger::Account wallet;
  identity::TierPolicy policy;
};

void ReadCustomer(WalletContext& context, uint64_t customer_id, const Responder& respond,
                  std::function<void(CustomerSnapshot)> then) {
  ReadEngine<std::optional<CustomerSnapshot>>(
      context, respond,
      [customer_id](const engine::StateMachine& state) -> std::optional<CustomerSnapshot> {
        const identity::Customer* customer = state.customers().FindById(customer_id);
        if (customer == nullptr) return std::nullopt;
        const ledger::Account* wallet = state.ledger().FindAccount(customer->wallet_account_id);
        if (wallet == nullptr) return std::nullopt;
        return CustomerSnapshot{*customer, *wallet, state.tier_policies().For(customer->tier)};
      },
      [respond, then = std::move(then)](std::optional<CustomerSnapshot> snapshot) {
        // A live session always belongs to a registered customer with a wallet.
        if (!snapshot) {
          respond(ErrorResponse(ErrorCode::kInternal, "the customer could not be read"));
          return;
        }
        then(std::move(*snapshot));
      });
}

// --- Answers ---

HttpResponse Error(ErrorCode code, std::string message) {
  return ErrorResponse(code, std::move(message));
}

// LIMIT_EXCEEDED with the contract's extra member: {"error":{"code","message","limit"}}.
HttpResponse LimitExceeded(std::string_view limit, std::string message) {
  const api::ApiError error = api::MakeError(ErrorCode::kLimitExceeded, std::move(message));
  api::JsonObjectWriter inner;
  inner.String("code", error.code).String("message", error.message).String("limit", limit);
  api::JsonObjectWriter body;
  body.Object("error", std::move(inner));
  return api::JsonResponse(error.http_status, body);
}

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
    default:
      break;
  }
  LogError("money command failed unexpectedly", {{"result", engine::MoneyResultName(result)}});
  return Error(ErrorCode::kInternal, "the request could not be executed");
}

// The idempotency entry is completed with every answer a retry should see again. Answers that
// ask the client to come back (5xx, or Retry-After on a top-up still "processing") abandon it,
// so the retry runs afresh, meets the ledger's record and can finish what was left open.
Responder CompletingResponder(WalletContext& context, std::string principal, std::string key,
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
                                         const Principal& principal, const Responder& respond) {
  const std::string key(request.Header("Idempotency-Key"));
  const std::string owner = std::to_string(principal.id);
  api::IdempotencyBegin begin = Idempotency(context).Begin(
      owner, key, api::IdempotencyDigest(request.method, request.Path(), request.body));
  switch (begin.outcome) {
    case api::IdempotencyOutcome::kNew:
      return CompletingResponder(context, owner, key, respond);
    case api::IdempotencyOutcome::kReplay:
      respond(std::move(begin.response));
      return std::nullopt;
    case api::IdempotencyOutcome::kMismatch:
      respond(Error(ErrorCode::kIdempotencyKeyReused,
                    "this Idempotency-Key was used for a different request"));
      return std::nullopt;
    case api::IdempotencyOutcome::kInProgress:
      respond(Error(ErrorCode::kIdempotencyKeyInProgress,
                    "a request with this Idempotency-Key is still being processed"));
      return std::nullopt;
    case api::IdempotencyOutcome::kInvalidKey:
      break;
  }
  respond(Error(ErrorCode::kBadRequest, "Idempotency-Key must be 1-64 of [A-Za-z0-9_-]"));
  return std::nullopt;
}

bool RequireIdempotencyKey(const HttpRequest& request, const Responder& respond) {
  if (!request.Header("Idempotency-Key").empty()) return true;
  respond(Error(ErrorCode::kIdempotencyKeyRequired, "this request needs an Idempotency-Key"));
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

// The bank binding's request id: the same card for the same customer is the same request, so a
// retried binding gets the token issued the first time.
std::string BindingRequestId(uint64_t customer_id, std::string_view pan_lookup_hash) {
  Hasher hasher;
  hasher.Update("qianbao/wallet/card-binding/v1");
  hasher.UpdateU64(customer_id);
  hasher.Update(pan_lookup_hash);
  return "bind-" + DigestHex(hasher.Finish()).substr(0, 32);
}

// --- Balance ---

void GetBalance(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  ReadCustomer(context, principal->id, respond, [respond](CustomerSnapshot snapshot) {
    respond(api::JsonResponse(200, BalanceJson(snapshot.wallet)));
  });
}

// --- Identity ---

identity::CalendarDate ChinaToday(int64_t now_ns) {
  const std::time_t seconds = static_cast<std::time_t>(now_ns / kNsPerSecond + kChinaOffsetSeconds);
  std::tm civil{};
  gmtime_r(&seconds, &civil);
  return identity::CalendarDate{civil.tm_year + 1900, civil.tm_mon + 1, civil.tm_mday};
}

// "1101**********1234": the first 4 and last 4 of the 18 characters.
std::string MaskIdForDisplay(std::string_view normalized) {
  return std::string(normalized.substr(0, 4)) + std::string(normalized.size() - 8, '*') +
         std::string(normalized.substr(normalized.size() - 4));
}

HttpResponse VerificationError(identity::VerificationResult result) {
  switch (result) {
    case identity::VerificationResult::kNameMismatch:
      return Error(ErrorCode::kIdentityMismatch, "the name does not match the resident ID");
    case identity::VerificationResult::kIdNotFound:
      return Error(ErrorCode::kIdentityNotFound, "the resident ID was not found");
    case identity::VerificationResult::kUnavailable:
    case identity::VerificationResult::kVerified:
      break;
  }
  return Error(ErrorCode::kVerifierUnavailable, "identity verification is unavailable; retry");
}

void RecordIdentity(WalletContext& context, uint64_t customer_id, std::string real_name,
                    const std::string& resident_id, Responder respond) {
  const WalletServices& services = Services(context);
  engine::VerifyIdentity command;
  command.customer_id = customer_id;
  command.identity.real_name = std::move(real_name);
  command.identity.id_sealed =
      services.vault->Encrypt(resident_id, "resident_id:" + std::to_string(customer_id));
  command.identity.id_lookup_hash = services.vault->LookupHash(resident_id);
  command.identity.id_masked = MaskIdForDisplay(resident_id);
  SubmitCommand(
      context, std::move(command), respond,
      [&context, customer_id, respond](uint8_t result, const engine::Reply&) {
        const auto code = static_cast<identity::IdentityResult>(result);
        if (code != identity::IdentityResult::kOk) {
          respond(ErrorResponse(IdentityError(code)));
          return;
        }
        ReadCustomer(context, customer_id, respond, [&context, respond](CustomerSnapshot snapshot) {
          const int64_t now_ns = Services(context).clock->NowNs();
          respond(api::JsonResponse(200, CustomerJson(snapshot.customer, snapshot.policy, now_ns)));
        });
      });
}

void PostIdentity(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string real_name = reader.RequiredString("real_name", kMaxRealNameInputChars);
  std::string resident_id = reader.RequiredString("resident_id", kMaxResidentIdInputChars);
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  if (!identity::IsPlausibleRealName(real_name)) {
    return respond(Error(ErrorCode::kRealNameInvalid, "real_name is not a plausible real name"));
  }
  identity::ResidentIdInfo info;
  if (identity::ParseResidentId(resident_id, ChinaToday(Services(context).clock->NowNs()), &info) !=
      identity::ResidentIdError::kOk) {
    return respond(Error(ErrorCode::kResidentIdInvalid, "resident_id is not a valid ID number"));
  }
  const uint64_t customer_id = principal->id;
  // Asking the verifier costs money and time: a verified customer is refused before it.
  ReadCustomer(
      context, customer_id, respond,
      [&context, customer_id, respond, real_name = std::move(real_name),
       id = std::move(info.normalized)](CustomerSnapshot snapshot) mutable {
        if (snapshot.customer.verified()) {
          return respond(Error(ErrorCode::kAlreadyVerified, "your identity is already verified"));
        }
        RunOnWorker(
            context,
            [&context, customer_id, respond, real_name = std::move(real_name),
             id = std::move(id)]() mutable {
              const identity::VerificationResult result =
                  Services(context).verifier->Verify(real_name, id);
              if (result != identity::VerificationResult::kVerified) {
                return respond(VerificationError(result));
              }
              RecordIdentity(context, customer_id, std::move(real_name), id, respond);
            },
            respond);
      });
}

// --- Cards ---

void GetCards(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  ReadCustomer(context, principal->id, respond, [respond](CustomerSnapshot snapshot) {
    api::JsonArrayWriter cards;
    for (const identity::BoundCard& card : snapshot.customer.cards) cards.Object(CardJson(card));
    api::JsonObjectWriter body;
    body.Array("cards", std::move(cards));
    respond(api::JsonResponse(200, body));
  });
}

HttpResponse BindingError(bank::BankResultCode code) {
  switch (code) {
    case bank::BankResultCode::kDeclinedInvalidCard:
    case bank::BankResultCode::kDeclinedCardBlocked:
    case bank::BankResultCode::kDeclinedLimit:
    case bank::BankResultCode::kDeclinedInsufficientFunds:
      return Error(ErrorCode::kBankDeclined,
                   "the bank did not confirm this card for your verified name, ID and phone");
    case bank::BankResultCode::kTimeout:
    case bank::BankResultCode::kUnavailable:
      return Error(ErrorCode::kBankUnavailable, "the bank is unavailable; retry shortly");
    default:
      break;
  }
  LogError("card binding refused", {{"bank_result", bank::BankResultCodeName(code)}});
  return Error(ErrorCode::kInternal, "the card could not be bound");
}

// On a worker: the bank's four-element check, then the binding in the engine.
void BindAtBank(WalletContext& context, uint64_t customer_id, const identity::Customer& customer,
                const std::string& pan, Responder respond) {
  const WalletServices& services = Services(context);
  std::optional<std::string> resident_id = services.vault->Decrypt(
      customer.identity->id_sealed, "resident_id:" + std::to_string(customer_id));
  if (!resident_id) {
    LogError("sealed resident ID does not open", {{"customer", std::to_string(customer_id)}});
    return respond(Error(ErrorCode::kInternal, "the card could not be bound"));
  }
  engine::BindCard command;
  command.customer_id = customer_id;
  identity::BoundCard& card = command.card;
  card.lookup_hash = services.vault->LookupHash(pan);
  const bank::BankResult bound = services.bank->BindCard(
      bank::CardBindingRequest{BindingRequestId(customer_id, card.lookup_hash), pan,
                               customer.identity->real_name, *resident_id, customer.phone});
  if (!bound.approved()) return respond(BindingError(bound.code));
  card.pan_sealed = services.vault->Encrypt(pan, "card:" + std::to_string(customer_id));
  card.first6 = pan.substr(0, 6);
  card.last4 = pan.substr(pan.size() - 4);
  card.bank_code = std::string(identity::CardBrandAndBank(pan).bank_code);
  card.bank_token = bound.bank_reference;
  identity::BoundCard shown = card;
  SubmitCommand(
      context, std::move(command), respond,
      [respond, shown = std::move(shown)](uint8_t result, const engine::Reply& reply) mutable {
        const auto code = static_cast<identity::IdentityResult>(result);
        if (code != identity::IdentityResult::kOk) {
          return respond(ErrorResponse(IdentityError(code)));
        }
        shown.id = reply.value;
        shown.bound_ns = reply.batch_time_ns;
        respond(api::JsonResponse(201, CardJson(shown)));
      });
}

void PostCard(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  std::optional<api::JsonObject> body = ParseBody(request, respond);
  if (!body) return;
  api::ObjectReader reader(*body);
  std::string number = reader.RequiredString("card_number", kMaxCardNumberChars);
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<std::string> pan = identity::NormalizePan(number);
  if (!pan) {
    return respond(Error(ErrorCode::kCardInvalid, "card_number is not a valid card number"));
  }
  const uint64_t customer_id = principal->id;
  ReadCustomer(
      context, customer_id, respond,
      [&context, customer_id, respond, pan = std::move(*pan)](CustomerSnapshot snapshot) {
        const identity::Customer& customer = snapshot.customer;
        if (!customer.verified()) {
          return respond(
              Error(ErrorCode::kIdentityRequired, "verify your identity before binding a card"));
        }
        if (customer.cards.size() >= identity::kMaxCardsPerCustomer) {
          return respond(ErrorResponse(IdentityError(identity::IdentityResult::kCardLimit)));
        }
        RunOnWorker(
            context,
            [&context, customer_id, respond, pan, customer = std::move(snapshot.customer)] {
              BindAtBank(context, customer_id, customer, pan, respond);
            },
            respond);
      });
}

void DeleteCard(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  std::optional<uint64_t> card_id = ParseId(request.PathParam("card_id"));
  if (!card_id) return respond(Error(ErrorCode::kCardNotFound, "no such card"));
  SubmitCommand(context, engine::UnbindCard{principal->id, *card_id}, respond,
                [respond](uint8_t result, const engine::Reply&) {
                  const auto code = static_cast<identity::IdentityResult>(result);
                  if (code != identity::IdentityResult::kOk) {
                    return respond(ErrorResponse(IdentityError(code)));
                  }
                  HttpResponse response;
                  response.status = 204;
                  response.headers.emplace_back("Cache-Control", "no-store");
                  respond(std::move(response));
                });
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
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  const std::optional<uint64_t> card_id = ParseId(card_text);
  if (!card_id) return respond(Error(ErrorCode::kCardNotFound, "no such card"));
  std::optional<Responder> answer = BeginIdempotent(context, request, *principal, respond);
  if (!answer) return;

  auto hold = std::make_shared<Hold>();
  hold->kind = kind;
  hold->customer_id = principal->id;
  hold->hold_id = DeriveTransferId(principal->id, request.Header("Idempotency-Key"),
                                   kind == engine::HoldKind::kTopUp ? "top_up" : "withdrawal");
  hold->amount_fen = amount_fen;
  ReadCustomer(context, principal->id, *answer,
               [&context, hold, card_id = *card_id, respond = *answer](CustomerSnapshot snapshot) {
                 const identity::BoundCard* card = snapshot.customer.FindCard(card_id);
                 if (card == nullptr) return respond(MoneyError(MoneyResult::kCardNotFound));
                 hold->card = *card;
                 engine::HoldFunds command{hold->kind, hold->hold_id, hold->customer_id, card_id,
                                           hold->amount_fen};
                 SubmitCommand(
                     context, command, respond,
                     [&context, hold, respond](uint8_t result, const engine::Reply& reply) {
                       const auto code = static_cast<MoneyResult>(result);
                       if (code == MoneyResult::kOk) {
                         hold->created_ns = reply.batch_time_ns;
                         return DriveBank(context, hold, /*resume=*/false, respond);
                       }
                       if (code == MoneyResult::kDuplicate) {
                         return AnswerFromLedger(context, hold, respond, [&context, hold, respond] {
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
  if (std::optional<api::ApiError> error = reader.Finish()) return respond(ErrorResponse(*error));
  std::optional<std::string> phone = identity::NormalizePhone(to_phone);
  if (!phone) {
    return respond(Error(ErrorCode::kFieldInvalid, "to_phone is not a mainland mobile number"));
  }
  std::optional<Responder> answer = BeginIdempotent(context, request, *principal, respond);
  if (!answer) return;

  auto p2p = std::make_shared<P2PRequest>();
  p2p->transfer_id = DeriveTransferId(principal->id, request.Header("Idempotency-Key"), "p2p");
  p2p->customer_id = principal->id;
  p2p->to_phone = std::move(*phone);
  p2p->amount_fen = amount_fen;
  p2p->memo = memo.value_or("");
  engine::P2PTransfer command{p2p->transfer_id, p2p->customer_id, p2p->to_phone, amount_fen,
                              p2p->memo};
  SubmitCommand(context, std::move(command), *answer,
                [&context, p2p, respond = *answer](uint8_t result, const engine::Reply& reply) {
                  const auto code = static_cast<MoneyResult>(result);
                  // The reply carries what the answer needs: no second trip to the engine.
                  if (code == MoneyResult::kOk) {
                    return respond(TransferResponse(*p2p, p2p->to_phone, reply.text,
                                                    static_cast<int64_t>(reply.value)));
                  }
                  if (code == MoneyResult::kDuplicate) {
                    return AnswerDuplicateTransfer(context, p2p, respond);
                  }
                  respond(MoneyError(code));
                });
}

// --- History ---

// Days from 1970-01-01 to a civil date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + day_of_era - 719'468;
}

// Reads `count` digits at `*at` into `*value`; false when they are not all digits.
bool ReadDigits(std::string_view text, size_t* at, size_t count, int64_t* value) {
  if (*at + count > text.size()) return false;
  *value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    *value = *value * 10 + (c - '0');
  }
  *at += count;
  return true;
}

bool Expect(std::string_view text, size_t* at, char c) {
  if (*at >= text.size() || text[*at] != c) return false;
  ++*at;
  return true;
}

// "2026-11-23" (a China-time day: its start, or with `end_of_day` the next day's start) or
// RFC 3339 "2026-11-23T01:02:03Z" / "...T09:02:03.5+08:00". Nanoseconds since the epoch.
std::optional<int64_t> ParseTimeBound(std::string_view text, bool end_of_day) {
  size_t at = 0;
  int64_t year = 0, month = 0, day = 0;
  if (!ReadDigits(text, &at, 4, &year) || !Expect(text, &at, '-') ||
      !ReadDigits(text, &at, 2, &month) || !Expect(text, &at, '-') ||
      !ReadDigits(text, &at, 2, &day)) {
    return std::nullopt;
  }
  const identity::CalendarDate date{static_cast<int32_t>(year), static_cast<int32_t>(month),
                                    static_cast<int32_t>(day)};
  if (!identity::IsValidCalendarDate(date) || year < 1970) return std::nullopt;
  const int64_t day_seconds = DaysFromCivil(year, month, day) * 86'400;
  if (at == text.size()) {
    return (day_seconds - kChinaOffsetSeconds + (end_of_day ? 86'400 : 0)) * kNsPerSecond;
  }
  int64_t hour = 0, minute = 0, second = 0, fraction_ns = 0;
  if (!(Expect(text, &at, 'T') || Expect(text, &at, 't')) || !ReadDigits(text, &at, 2, &hour) ||
      !Expect(text, &at, ':') || !ReadDigits(text, &at, 2, &minute) || !Expect(text, &at, ':') ||
      !ReadDigits(text, &at, 2, &second) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  if (Expect(text, &at, '.')) {
    int64_t scale = 100'000'000;
    size_t digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      fraction_ns += (text[at] - '0') * scale;
      scale /= 10;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (!(Expect(text, &at, 'Z') || Expect(text, &at, 'z'))) {
    if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return std::nullopt;
    const int64_t sign = text[at++] == '+' ? 1 : -1;
    int64_t offset_hours = 0, offset_minutes = 0;
    if (!ReadDigits(text, &at, 2, &offset_hours) || !Expect(text, &at, ':') ||
        !ReadDigits(text, &at, 2, &offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
  }
  if (at != text.size()) return std::nullopt;
  const int64_t seconds = day_seconds + hour * 3600 + minute * 60 + second - offset_seconds;
  if (seconds < 0) return std::nullopt;
  return seconds * kNsPerSecond + fraction_ns;
}

struct HistoryQuery {
  uint64_t account_id = 0;
  HistoryFilter filter;
  std::vector<std::string_view> types;  // Static names; empty means every type.
  std::optional<int64_t> before_ns;
  size_t limit = 0;
};

bool Wanted(const HistoryQuery& query, const HistoryEntry& entry) {
  if (query.types.empty()) return true;
  const ledger::Transfer& transfer = entry.transfer;
  const bool in = transfer.credit_account_id == query.account_id;
  std::string_view type = "other";
  if (transfer.code == engine::kTransferCodeP2P) type = in ? "p2p_in" : "p2p_out";
  if (transfer.code == engine::kTransferCodeTopUp) type = "top_up";
  if (transfer.code == engine::kTransferCodeWithdrawal) type = "withdrawal";
  for (std::string_view wanted : query.types) {
    if (wanted == type) return true;
  }
  return false;
}

// Parses "top_up,p2p_in" into the store filter: codes, and a direction when every wanted type
// agrees on one (a mix like p2p_in + withdrawal is filtered after the query instead).
std::optional<api::ApiError> ParseTypes(std::string_view text, HistoryQuery* query) {
  static constexpr std::string_view kTypes[] = {"top_up", "withdrawal", "p2p_in", "p2p_out"};
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    bool known = false;
    for (std::string_view type : kTypes) {
      if (type != name) continue;
      known = true;
      bool seen = false;
      for (std::string_view have : query->types) seen = seen || have == type;
      if (!seen) query->types.push_back(type);
    }
    if (!known) {
      return api::MakeError(ErrorCode::kFieldInvalid,
                            "query parameter \"type\" must list top_up, withdrawal, p2p_in, "
                            "p2p_out");
    }
  }
  bool in = false, out = false, top_up = false, withdrawal = false;
  for (std::string_view type : query->types) {
    in = in || type == "p2p_in";
    out = out || type == "p2p_out";
    top_up = top_up || type == "top_up";
    withdrawal = withdrawal || type == "withdrawal";
  }
  if (in || out) query->filter.codes.push_back(engine::kTransferCodeP2P);
  if (top_up) query->filter.codes.push_back(engine::kTransferCodeTopUp);
  if (withdrawal) query->filter.codes.push_back(engine::kTransferCodeWithdrawal);
  query->filter.only_in = in && !out && !withdrawal;
  query->filter.only_out = out && !in && !top_up;
  return std::nullopt;
}

std::optional<api::ApiError> ParseHistoryQuery(const HttpRequest& request, HistoryQuery* query) {
  api::ApiResult<api::QueryParams> params = api::ParseQuery(request.target);
  if (!params.ok()) return params.error();
  api::ApiResult<int64_t> limit = api::ParseLimit(params.value().GetOr("limit"));
  if (!limit.ok()) return limit.error();
  query->limit = static_cast<size_t>(limit.value());
  const std::string_view cursor = params.value().GetOr("cursor");
  if (!cursor.empty()) {
    api::ApiResult<int64_t> position = api::DecodeCursor(cursor);
    if (!position.ok()) return position.error();
    query->before_ns = position.value();
  }
  if (std::optional<api::ApiError> error = ParseTypes(params.value().GetOr("type"), query)) {
    return error;
  }
  for (const bool is_to : {false, true}) {
    const std::string_view name = is_to ? "to" : "from";
    const std::optional<std::string_view> text = params.value().Get(name);
    if (!text) continue;
    std::optional<int64_t> bound = ParseTimeBound(*text, is_to);
    if (!bound) {
      return api::MakeError(ErrorCode::kFieldInvalid,
                            "query parameter \"" + std::string(name) +
                                "\" must be an RFC 3339 time or a date (YYYY-MM-DD)");
    }
    (is_to ? query->filter.to_ns : query->filter.from_ns) = *bound;
  }
  return std::nullopt;
}

// On a worker: pages through the read model until `limit` wanted entries are found, the list
// ends, or kMaxHistoryScans pages were read (the cursor then continues where the scan stopped).
HttpResponse ReadHistory(Store& store, const HistoryQuery& query) {
  api::JsonArrayWriter entries;
  std::optional<int64_t> before = query.before_ns;
  // Plain values rather than an optional: GCC 12 misreads one here as maybe uninitialized.
  bool more = false;
  int64_t next_ns = 0;
  for (int scan = 0; scan < kMaxHistoryScans; ++scan) {
    HistoryPage page;
    const Status status =
        store.ListHistory(query.account_id, query.filter, before, query.limit, &page);
    if (!status.ok()) {
      LogError("history read failed", {{"error", status.ToString()}});
      return Error(ErrorCode::kStoreUnavailable, "the history is unavailable; retry shortly");
    }
    more = false;
    for (size_t i = 0; i < page.entries.size(); ++i) {
      const HistoryEntry& entry = page.entries[i];
      if (!Wanted(query, entry)) continue;
      entries.Object(HistoryEntryJson(entry, query.account_id));
      if (entries.size() == query.limit) {
        more = i + 1 < page.entries.size() || page.next_cursor.has_value();
        next_ns = entry.transfer.timestamp_ns;
        break;
      }
    }
    if (entries.size() == query.limit || !page.next_cursor) break;
    before = page.next_cursor;
    more = true;
    next_ns = *page.next_cursor;
  }
  api::JsonObjectWriter body;
  body.Array("entries", std::move(entries));
  if (more) {
    body.String("next_cursor", api::EncodeCursor(next_ns));
  } else {
    body.Null("next_cursor");
  }
  return api::JsonResponse(200, body);
}

void GetHistory(WalletContext& context, HttpRequest&& request, Responder respond) {
  std::optional<Principal> principal = RequireCustomer(context, request, respond);
  if (!principal) return;
  HistoryQuery query;
  // The engine gives customer n the wallet account at the base plus n (command.h).
  query.account_id = engine::kCustomerWalletAccountBase + principal->id;
  if (std::optional<api::ApiError> error = ParseHistoryQuery(request, &query)) {
    return respond(ErrorResponse(*error));
  }
  RunOnWorker(
      context,
      [&context, query = std::move(query), respond] {
        respond(ReadHistory(*Services(context).store, query));
      },
      respond);
}

}  // namespace

void AddMoneyRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  auto route = [shared](void (*handler)(WalletContext&, HttpRequest&&, Responder)) {
    return [shared, handler](HttpRequest&& request, Responder respond) {
      handler(*shared, std::move(request), std::move(respond));
    };
  };
  router.Add("GET", "/api/v1/me/balance", route(GetBalance));
  router.Add("POST", "/api/v1/me/identity", route(PostIdentity));
  router.Add("GET", "/api/v1/me/cards", route(GetCards));
  router.Add("POST", "/api/v1/me/cards", route(PostCard));
  router.Add("DELETE", "/api/v1/me/cards/{card_id}", route(DeleteCard));
  router.Add("POST", "/api/v1/me/top-ups", [shared](HttpRequest&& request, Responder respond) {
    PostHold(*shared, std::move(request), std::move(respond), engine::HoldKind::kTopUp);
  });
  router.Add("POST", "/api/v1/me/withdrawals", [shared](HttpRequest&& request, Responder respond) {
    PostHold(*shared, std::move(request), std::move(respond), engine::HoldKind::kWithdrawal);
  });
  router.Add("POST", "/api/v1/me/transfers", route(PostTransfer));
  router.Add("GET", "/api/v1/me/history", route(GetHistory));
}

}  // namespace qb::wallet
