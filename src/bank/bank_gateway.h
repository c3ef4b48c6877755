// The bank side of card top-ups and withdrawals (core banking / UnionPay). A top-up is two-phase,
// like the ledger's pending transfer it mirrors: Authorize holds money on the customer's card,
// then Capture takes it or Void releases it. A withdrawal is one Payout to the card. Status
// answers "what happened to request X?" after a timeout, for reconciliation.
//
// Binding comes first: BindCard asks the bank's four-element check (card number, holder name,
// resident ID, phone) whether the card belongs to the wallet's verified customer, and on
// approval the bank issues the card token every later request names the card by. That check is
// what makes a tier II wallet's card "a card in the customer's own name".
//
// Every request carries a request_id chosen by the wallet; the bank treats it as an idempotency
// key, so a retry after a timeout can never move money twice. Cards are named by a token issued
// at binding, never by their number (PAN): tokens may appear in logs, PANs must not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace qb::bank {

inline constexpr std::string_view kCurrencyCny = "CNY";
inline constexpr size_t kMaxRequestIdBytes = 64;
inline constexpr size_t kMaxCardTokenBytes = 64;

// A request's checks run in this order and the first that fails is reported. kTimeout and
// kUnavailable come from the transport and can replace any answer.
enum class BankResultCode : uint8_t {
  kApproved = 0,
  kInvalidRequest,       // malformed: empty or long ids, a PAN as token, amount <= 0, not CNY
  kRequestIdReused,      // the request_id was first used for a different request
  kNotFound,             // Capture or Void of an unknown auth_id
  kInvalidState,         // Capture of a voided authorization, Void of a captured one
  kDeclinedInvalidCard,  // no such card
  kDeclinedCardBlocked,
  kDeclinedLimit,  // above the per-transaction limit, or a balance would overflow
  kDeclinedInsufficientFunds,
  kTimeout,      // no answer: the request may or may not have been processed; ask Status
  kUnavailable,  // the bank refused service; nothing was processed, retrying is safe
};

std::string_view BankResultCodeName(BankResultCode code);

struct BankResult {
  BankResultCode code = BankResultCode::kUnavailable;
  // The bank's reference for the transaction; for an approved Authorize it is also the auth_id
  // to Capture or Void. Empty unless the bank processed the request.
  std::string bank_reference;

  bool approved() const { return code == BankResultCode::kApproved; }
};

// Hold `amount_fen` on a card for a top-up.
struct DebitRequest {
  std::string request_id;
  std::string card_token;
  int64_t amount_fen = 0;
  std::string currency{kCurrencyCny};
};

// Credit `amount_fen` to a card for a withdrawal.
struct PayoutRequest {
  std::string request_id;
  std::string card_token;
  int64_t amount_fen = 0;
  std::string currency{kCurrencyCny};
};

// Ask the bank to confirm that the card is the holder's and to issue a token for it. The PAN
// goes to the bank here and nowhere else; the request as a whole must never be logged.
// Money to a business bank account (a merchant's settlement account), not a card.
struct AccountPayoutRequest {
  std::string request_id;
  std::string bank_code;       // e.g. "ICBC"
  std::string account_number;  // digits, 8-30
  std::string account_name;    // the holder (a merchant's legal name)
  int64_t amount_fen = 0;
  std::string currency{kCurrencyCny};
};

struct CardBindingRequest {
  std::string request_id;
  std::string pan;  // Normalised digits (identity::NormalizePan).
  std::string holder_name;
  std::string resident_id;
  std::string phone;
};

enum class TransactionKind : uint8_t { kAuthorization, kPayout };
enum class AuthorizationState : uint8_t { kNone, kHeld, kCaptured, kVoided };

struct TransactionStatus {
  bool found = false;  // false: the bank never processed the request; retrying it is safe
  TransactionKind kind = TransactionKind::kAuthorization;
  BankResult result;  // what the bank answered (or would have answered) the original request
  AuthorizationState state = AuthorizationState::kNone;  // for approved authorizations
  int64_t amount_fen = 0;
};

class BankGateway {
 public:
  virtual ~BankGateway() = default;
  // All methods are thread-safe and may block on the network.
  virtual BankResult Authorize(const DebitRequest& request) = 0;
  // Idempotent: capturing a captured authorization, or voiding a voided one, is approved again.
  virtual BankResult Capture(const std::string& auth_id) = 0;
  virtual BankResult Void(const std::string& auth_id) = 0;
  virtual BankResult Payout(const PayoutRequest& request) = 0;
  // Idempotent by request_id, like Payout; Status finds it (kind kPayout).
  virtual BankResult PayAccount(const AccountPayoutRequest& request) = 0;
  virtual TransactionStatus Status(const std::string& request_id) = 0;
  // Approved: bank_reference is the card token (never the PAN). Idempotent by request_id, like
  // the money requests: a retry after a timeout gets the same token. A card that is not the
  // holder's, or does not exist, is kDeclinedInvalidCard; a blocked one kDeclinedCardBlocked.
  virtual BankResult BindCard(const CardBindingRequest& request) = 0;
};

// The checks every gateway applies before talking to the bank: kApproved when well-formed,
// otherwise kInvalidRequest.
BankResultCode ValidateRequestFields(std::string_view request_id, std::string_view card_token,
                                     int64_t amount_fen, std::string_view currency);

// The same for a binding: a well-formed request id, a PAN of 13-19 digits, and non-empty
// holder name, resident ID and phone of bounded length.
BankResultCode ValidateBindingFields(const CardBindingRequest& request);

}  // namespace qb::bank
