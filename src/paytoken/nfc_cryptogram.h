// HCE-style NFC payments. The device is issued a payment token (a Luhn-valid 16-19 digit number
// in the national-use range "9", so it is never mistaken for a card PAN) and a generation of
// limited-use keys (LUKs). Each LUK signs uses_per_luk transactions; after luk_count *
// uses_per_luk the device must refresh and receive the next generation.
//
// Request form (what a terminal submits; ASCII, fields separated by '|', nothing else allowed):
//   request      := "qbnfc1" "|" token "|" amount_fen "|" currency "|" atc "|" un "|" cryptogram
//   token        := 16..19 digits, first digit '9', Luhn-valid
//   amount_fen   := canonical decimal (no leading zero), 1..kMaxNfcAmountFen
//   currency     := 3 ASCII capitals
//   atc          := canonical decimal, 1..4294967295 (application transaction counter)
//   un           := 8 lowercase hex digits (4-byte unpredictable number from the terminal)
//   cryptogram   := 16 lowercase hex digits
// Keys and cryptogram:
//   luk(i)       := HMAC-SHA256(issuer_key, "qianbao-nfc-luk-v1" || token_length:u8 || token ||
//                                generation:u32 || i:u32)
//   i            := (atc - first_atc) / uses_per_luk        (first_atc: the generation's first)
//   cryptogram   := first 8 bytes of HMAC-SHA256(luk(i), "qianbao-nfc-ac-v1" ||
//                   token_length:u8 || token || amount_fen:i64 || currency:u8[3] || atc:u32 ||
//                   un:u32)                                  (integers little-endian)
// The ATC is monotonic over the token's life, across generations, so "strictly greater than the
// last accepted" rejects every replay without remembering old requests.
//
// Thread-safety: all functions are pure and thread-safe given a NfcTokenDirectory that is.
// VerifyNfcRequest does not change state: on kOk the caller (the engine) must store
// NfcVerification::accepted in the same step that moves the money, so a replay is rejected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "identity/secret_key.h"

namespace qb::paytoken {

inline constexpr std::string_view kNfcRequestTag = "qbnfc1";
inline constexpr size_t kMinTokenDigits = 16;
inline constexpr size_t kMaxTokenDigits = 19;
inline constexpr char kTokenLeadingDigit = '9';
inline constexpr int64_t kMaxNfcAmountFen = 100'000'000;  // ¥1,000,000
inline constexpr size_t kNfcCryptogramBytes = 8;
inline constexpr size_t kMaxNfcRequestChars = 96;
inline constexpr uint32_t kMaxLuksPerGeneration = 64;
inline constexpr uint32_t kMaxUsesPerLuk = 1024;

// Appends the Luhn check digit to body_digits (15..18 digits starting with '9'); nullopt for
// any other input. The caller draws the body digits at random.
std::optional<std::string> MakeTokenNumber(std::string_view body_digits);
bool IsTokenNumber(std::string_view token);

// What the server keeps per token.
struct NfcTokenState {
  bool active = true;         // false once suspended or deleted
  uint32_t generation = 0;    // which LUKs are current
  uint32_t first_atc = 1;     // ATC signed with LUK 0 of this generation
  uint32_t last_atc = 0;      // highest ATC accepted; 0 before the first payment
  uint32_t luk_count = 0;     // 1..kMaxLuksPerGeneration
  uint32_t uses_per_luk = 0;  // 1..kMaxUsesPerLuk
};

// The state after issuing the next generation: keys start at the ATC after the last accepted.
NfcTokenState RefreshedState(const NfcTokenState& state, uint32_t luk_count, uint32_t uses_per_luk);

// The fields a terminal submits.
struct NfcRequest {
  std::string token;
  int64_t amount_fen = 0;
  std::string currency;
  uint32_t atc = 0;
  uint32_t unpredictable_number = 0;
  std::string cryptogram_hex;  // 16 lowercase hex digits
};

// The device's key for one slot of a generation. Issued to the device once; the server
// re-derives it for each verification and never stores it.
identity::SecretKey DeriveLimitedUseKey(const identity::SecretKey& issuer_key,
                                        std::string_view token, uint32_t generation,
                                        uint32_t luk_index);

// 16 lowercase hex digits over the request's fields (cryptogram_hex itself is ignored).
std::string ComputeNfcCryptogram(const identity::SecretKey& luk, const NfcRequest& request);

// The request form above; the fields must be in bounds (asserted).
std::string FormatNfcRequest(const NfcRequest& request);

// Ordered by precedence: VerifyNfcRequest reports the first that applies.
enum class NfcResult : uint8_t {
  kOk = 0,
  kMalformed,        // Not the strict request form, or a field out of bounds.
  kUnknownToken,     // Well-formed token the directory does not know.
  kTokenInactive,    // Suspended or deleted.
  kReplayedCounter,  // ATC not greater than the last accepted one.
  kKeysExhausted,    // ATC beyond the current generation's keys; the device must refresh.
  kBadCryptogram,    // Wrong key or altered fields.
};

// Stable names for logs and API error codes ("replayed_counter", ...).
std::string_view NfcResultName(NfcResult result);

class NfcTokenDirectory {
 public:
  virtual ~NfcTokenDirectory() = default;
  // Null when the token was never issued.
  virtual const NfcTokenState* Find(std::string_view token) const = 0;
};

struct NfcVerification {
  NfcResult result = NfcResult::kMalformed;
  NfcRequest request;      // Filled from kUnknownToken on.
  uint32_t luk_index = 0;  // Filled for kBadCryptogram and kOk.
  NfcTokenState accepted;  // For kOk: the state to store (last_atc = request.atc).
};

// Parses, looks the token up and checks counter, key budget and cryptogram (constant time).
NfcVerification VerifyNfcRequest(std::string_view text, const NfcTokenDirectory& tokens,
                                 const identity::SecretKey& issuer_key);

}  // namespace qb::paytoken
