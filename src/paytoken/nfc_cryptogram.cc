#include "paytoken/nfc_cryptogram.h"

#include <utility>
#include <vector>

#include "base/assert.h"
#include "base/bytes.h"
#include "identity/card.h"
#include "paytoken/sodium_internal.h"

namespace qb::paytoken {
namespace {

constexpr std::string_view kLukContext = "qianbao-nfc-luk-v1";
constexpr std::string_view kCryptogramContext = "qianbao-nfc-ac-v1";
constexpr size_t kFieldCount = 7;

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!internal::IsAsciiDigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

uint32_t ParseHex32(std::string_view hex) {
  uint32_t value = 0;
  for (char c : hex) value = value * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  return value;
}

std::string ToLowerHex(const uint8_t* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

// Splits on '|' into exactly kFieldCount fields; false for any other count.
bool SplitFields(std::string_view text, std::vector<std::string_view>* fields) {
  for (size_t field = 0; field + 1 < kFieldCount; ++field) {
    size_t bar = text.find('|');
    if (bar == std::string_view::npos) return false;
    fields->push_back(text.substr(0, bar));
    text.remove_prefix(bar + 1);
  }
  if (text.find('|') != std::string_view::npos) return false;
  fields->push_back(text);
  return true;
}

std::optional<NfcRequest> ParseRequest(std::string_view text) {
  if (text.size() > kMaxNfcRequestChars) return std::nullopt;
  std::vector<std::string_view> fields;
  if (!SplitFields(text, &fields) || fields[0] != kNfcRequestTag) return std::nullopt;
  NfcRequest request;
  if (!IsTokenNumber(fields[1])) return std::nullopt;
  request.token = std::string(fields[1]);
  std::optional<uint64_t> amount = internal::ParseCanonicalDecimal(fields[2], 18);
  if (!amount || *amount < 1 || *amount > static_cast<uint64_t>(kMaxNfcAmountFen)) {
    return std::nullopt;
  }
  request.amount_fen = static_cast<int64_t>(*amount);
  if (!internal::IsCurrencyCode(fields[3])) return std::nullopt;
  request.currency = std::string(fields[3]);
  std::optional<uint64_t> atc = internal::ParseCanonicalDecimal(fields[4], 10);
  if (!atc || *atc < 1 || *atc > UINT32_MAX) return std::nullopt;
  request.atc = static_cast<uint32_t>(*atc);
  if (fields[5].size() != 8 || !IsLowerHex(fields[5])) return std::nullopt;
  request.unpredictable_number = ParseHex32(fields[5]);
  if (fields[6].size() != 2 * kNfcCryptogramBytes || !IsLowerHex(fields[6])) return std::nullopt;
  request.cryptogram_hex = std::string(fields[6]);
  return request;
}

bool IsValidState(const NfcTokenState& state) {
  return state.luk_count >= 1 && state.luk_count <= kMaxLuksPerGeneration &&
         state.uses_per_luk >= 1 && state.uses_per_luk <= kMaxUsesPerLuk && state.first_atc >= 1 &&
         static_cast<uint64_t>(state.last_atc) + 1 >= state.first_atc;
}

}  // namespace

std::optional<std::string> MakeTokenNumber(std::string_view body_digits) {
  if (body_digits.size() < kMinTokenDigits - 1 || body_digits.size() > kMaxTokenDigits - 1 ||
      !internal::AllAsciiDigits(body_digits) || body_digits[0] != kTokenLeadingDigit) {
    return std::nullopt;
  }
  std::string token(body_digits);
  token.push_back('0');
  for (char check = '0'; check <= '9'; ++check) {
    token.back() = check;
    if (identity::LuhnValid(token)) return token;
  }
  QB_ASSERT(false);  // exactly one check digit always satisfies Luhn
  return std::nullopt;
}

bool IsTokenNumber(std::string_view token) {
  return token.size() >= kMinTokenDigits && token.size() <= kMaxTokenDigits &&
         token[0] == kTokenLeadingDigit && identity::LuhnValid(token);
}

NfcTokenState RefreshedState(const NfcTokenState& state, uint32_t luk_count,
                             uint32_t uses_per_luk) {
  QB_ASSERT(state.last_atc < UINT32_MAX);
  NfcTokenState next = state;
  next.generation = state.generation + 1;
  next.first_atc = state.last_atc + 1;
  next.luk_count = luk_count;
  next.uses_per_luk = uses_per_luk;
  QB_ASSERT(IsValidState(next));
  return next;
}

identity::SecretKey DeriveLimitedUseKey(const identity::SecretKey& issuer_key,
                                        std::string_view token, uint32_t generation,
                                        uint32_t luk_index) {
  QB_ASSERT(!issuer_key.empty());
  QB_ASSERT(IsTokenNumber(token));
  std::string message(kLukContext);
  ByteWriter writer(&message);
  writer.U8(static_cast<uint8_t>(token.size()));
  writer.Bytes(token);
  writer.U32(generation);
  writer.U32(luk_index);
  internal::Hmac mac = internal::HmacSha256(issuer_key.data(), identity::SecretKey::kSize, message);
  std::optional<identity::SecretKey> luk = identity::SecretKey::FromBytes(
      std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  sodium_memzero(mac.data(), mac.size());
  QB_ASSERT(luk.has_value());
  return std::move(*luk);
}

std::string ComputeNfcCryptogram(const identity::SecretKey& luk, const NfcRequest& request) {
  QB_ASSERT(!luk.empty());
  QB_ASSERT(IsTokenNumber(request.token) && internal::IsCurrencyCode(request.currency));
  std::string message(kCryptogramContext);
  ByteWriter writer(&message);
  writer.U8(static_cast<uint8_t>(request.token.size()));
  writer.Bytes(request.token);
  writer.I64(request.amount_fen);
  writer.Bytes(request.currency);
  writer.U32(request.atc);
  writer.U32(request.unpredictable_number);
  internal::Hmac mac = internal::HmacSha256(luk.data(), identity::SecretKey::kSize, message);
  return ToLowerHex(mac.data(), kNfcCryptogramBytes);
}

std::string FormatNfcRequest(const NfcRequest& request) {
  QB_ASSERT(request.amount_fen >= 1 && request.amount_fen <= kMaxNfcAmountFen);
  QB_ASSERT(request.atc >= 1);
  uint8_t un[4];
  for (size_t i = 0; i < 4; ++i)
    un[i] = static_cast<uint8_t>(request.unpredictable_number >> (24 - 8 * i));
  std::string text = std::string(kNfcRequestTag) + "|" + request.token + "|" +
                     std::to_string(request.amount_fen) + "|" + request.currency + "|" +
                     std::to_string(request.atc) + "|" + ToLowerHex(un, sizeof(un)) + "|" +
                     request.cryptogram_hex;
  QB_ASSERT(ParseRequest(text).has_value());
  return text;
}

std::string_view NfcResultName(NfcResult result) {
  switch (result) {
    case NfcResult::kOk:
      return "ok";
    case NfcResult::kMalformed:
      return "malformed";
    case NfcResult::kUnknownToken:
      return "unknown_token";
    case NfcResult::kTokenInactive:
      return "token_inactive";
    case NfcResult::kReplayedCounter:
      return "replayed_counter";
    case NfcResult::kKeysExhausted:
      return "keys_exhausted";
    case NfcResult::kBadCryptogram:
      return "bad_cryptogram";
  }
  return "unknown";
}

NfcVerification VerifyNfcRequest(std::string_view text, const NfcTokenDirectory& tokens,
                                 const identity::SecretKey& issuer_key) {
  NfcVerification verification;
  std::optional<NfcRequest> request = ParseRequest(text);
  if (!request) return verification;
  verification.request = std::move(*request);
  const NfcRequest& fields = verification.request;
  const NfcTokenState* state = tokens.Find(fields.token);
  if (state == nullptr) {
    verification.result = NfcResult::kUnknownToken;
    return verification;
  }
  QB_ASSERT(IsValidState(*state));
  if (!state->active) {
    verification.result = NfcResult::kTokenInactive;
    return verification;
  }
  // A valid state has last_atc >= first_atc - 1, so this also rejects counters from before
  // the current generation.
  if (fields.atc <= state->last_atc) {
    verification.result = NfcResult::kReplayedCounter;
    return verification;
  }
  uint64_t offset = fields.atc - state->first_atc;
  if (offset >= static_cast<uint64_t>(state->luk_count) * state->uses_per_luk) {
    verification.result = NfcResult::kKeysExhausted;
    return verification;
  }
  verification.luk_index = static_cast<uint32_t>(offset / state->uses_per_luk);
  identity::SecretKey luk =
      DeriveLimitedUseKey(issuer_key, fields.token, state->generation, verification.luk_index);
  std::string expected = ComputeNfcCryptogram(luk, fields);
  if (sodium_memcmp(expected.data(), fields.cryptogram_hex.data(), expected.size()) != 0) {
    verification.result = NfcResult::kBadCryptogram;
    return verification;
  }
  verification.accepted = *state;
  verification.accepted.last_atc = fields.atc;
  verification.result = NfcResult::kOk;
  return verification;
}

}  // namespace qb::paytoken
