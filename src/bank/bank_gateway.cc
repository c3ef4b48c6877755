#include "bank/bank_gateway.h"

#include <algorithm>

namespace qb::bank {
namespace {

bool IsVisibleAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// A token made only of 12 or more digits looks like a card number: refuse it so that a caller
// mixing up PAN and token finds out in development instead of leaking PANs into logs.
bool LooksLikePan(std::string_view token) {
  return token.size() >= 12 &&
         std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view BankResultCodeName(BankResultCode code) {
  switch (code) {
    case BankResultCode::kApproved:
      return "approved";
    case BankResultCode::kInvalidRequest:
      return "invalid_request";
    case BankResultCode::kRequestIdReused:
      return "request_id_reused";
    case BankResultCode::kNotFound:
      return "not_found";
    case BankResultCode::kInvalidState:
      return "invalid_state";
    case BankResultCode::kDeclinedInvalidCard:
      return "declined_invalid_card";
    case BankResultCode::kDeclinedCardBlocked:
      return "declined_card_blocked";
    case BankResultCode::kDeclinedLimit:
      return "declined_limit";
    case BankResultCode::kDeclinedInsufficientFunds:
      return "declined_insufficient_funds";
    case BankResultCode::kTimeout:
      return "timeout";
    case BankResultCode::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

BankResultCode ValidateRequestFields(std::string_view request_id, std::string_view card_token,
                                     int64_t amount_fen, std::string_view currency) {
  if (request_id.empty() || request_id.size() > kMaxRequestIdBytes || !IsVisibleAscii(request_id)) {
    return BankResultCode::kInvalidRequest;
  }
  if (card_token.empty() || card_token.size() > kMaxCardTokenBytes || !IsVisibleAscii(card_token) ||
      LooksLikePan(card_token)) {
    return BankResultCode::kInvalidRequest;
  }
  if (amount_fen <= 0 || currency != kCurrencyCny) return BankResultCode::kInvalidRequest;
  return BankResultCode::kApproved;
}

BankResultCode ValidateBindingFields(const CardBindingRequest& request) {
  constexpr size_t kMaxHolderFieldBytes = 128;
  const std::string_view id = request.request_id;
  if (id.empty() || id.size() > kMaxRequestIdBytes || !IsVisibleAscii(id)) {
    return BankResultCode::kInvalidRequest;
  }
  const std::string_view pan = request.pan;
  if (pan.size() < 13 || pan.size() > 19 ||
      !std::all_of(pan.begin(), pan.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return BankResultCode::kInvalidRequest;
  }
  for (std::string_view field :
       {std::string_view(request.holder_name), std::string_view(request.resident_id),
        std::string_view(request.phone)}) {
    if (field.empty() || field.size() > kMaxHolderFieldBytes)
      return BankResultCode::kInvalidRequest;
  }
  return BankResultCode::kApproved;
}

}  // namespace qb::bank
