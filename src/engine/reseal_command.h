// Command 53, ResealSecrets: stored CardVault blobs re-encrypted under the active data key after
// `qianbao keys rotate` (the background task is engine/reseal.h). It is journaled like any
// command, so replay reaches the same state without any key: the engine never opens a blob.
//
//   body (type 53) := count:u32 item{count}
//   item           := field:u8 owner_id:u64 item_id:u64 key_id:str expected:str replacement:str
//
// Each item names one stored blob and the blob the resealer read there (`expected`); the stored
// blob is replaced only if it is still exactly `expected`, so a value changed meanwhile (a card
// rebound, a TOTP enrolment started again) is left alone and a later pass picks it up. The
// replacement must be as long as the expected blob (same plaintext, same framing) and differ
// from it. One ResealResult per item, in order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace qb::engine {

// Where a sealed value lives. Stable values (journaled): append, never renumber.
enum class SealedField : uint8_t {
  kResidentId = 1,           // Customer owner_id: VerifiedIdentity::id_sealed.
  kCardPan = 2,              // Customer owner_id, card item_id: BoundCard::pan_sealed.
  kTotpSecret = 3,           // Customer owner_id: Customer::totp_secret_sealed.
  kSettlementAccount = 4,    // Merchant owner_id: MerchantProfile::settlement_account_sealed.
  kApiKeySecret = 5,         // Merchant owner_id, key key_id: ApiKey::secret_sealed.
  kPaymentDeviceSecret = 6,  // Customer owner_id, slot item_id: PaymentDevice::secret_sealed.
};
inline constexpr uint8_t kMaxSealedField = 6;

struct SealedValue {
  SealedField field = SealedField::kCardPan;
  uint64_t owner_id = 0;
  uint64_t item_id = 0;
  std::string key_id;
  std::string expected;
  std::string replacement;
  bool operator==(const SealedValue&) const = default;
};

struct ResealSecrets {
  std::vector<SealedValue> items;
};

// The outcome of one item, ordered by precedence. Stable values.
enum class ResealResult : uint8_t {
  kOk = 0,
  kInvalid = 1,   // A malformed item (lengths differ, same blob, empty).
  kNotFound = 2,  // No such customer, card, merchant, key or device (or no value there now).
  kChanged = 3,   // The stored blob is not `expected` any more; nothing changed.
};

std::string_view ResealResultName(ResealResult result);

// A bound per command, so one reseal batch is a small, quick piece of engine work.
inline constexpr size_t kMaxResealsPerCommand = 64;

// Count in range, fields known, every string within `max_field_bytes`.
bool IsValidReseal(const ResealSecrets& command, size_t max_field_bytes);
void EncodeResealSecrets(const ResealSecrets& command, ByteWriter* writer);
// False when the body is malformed; the caller checks that the reader is then exhausted.
bool DecodeResealSecrets(ByteReader* reader, ResealSecrets* command);

}  // namespace qb::engine
