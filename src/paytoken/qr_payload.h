// Merchant-presented QR payloads: a static QR per merchant (the customer types the amount) and
// a dynamic QR per order (amount fixed, expires). The server signs each payload with Ed25519, so
// a forged or altered QR is rejected; key ids let signing keys rotate while old QRs stay valid.
//
// Text form (what the QR encodes; URL-safe, no padding):
//   qr_text   := "qbpay:" "1" "." b64url(body) "." b64url(signature)
//   body      := version:u8 (= 1) kind:u8 key_id:u32 merchant_id:u64 dynamic?
//   dynamic   := amount_fen:i64 currency:u8[3] expires_at_ns:i64
//                order_id_length:u8 order_id:u8[order_id_length]         (kind 2 only)
//   signature := Ed25519 over (kQrSignatureContext || body)                (64 bytes)
// Integers are little-endian. kind is 1 (static: body ends after merchant_id, 14 bytes) or 2
// (dynamic). base64url must be canonical: a text that does not re-encode to itself is rejected,
// so exactly one string verifies for a given (body, signature).
//
// Field bounds: merchant_id != 0; for dynamic, 1 <= amount_fen <= kMaxQrAmountFen, currency is
// three ASCII capitals, expires_at_ns > 0, order_id is 1..kMaxQrOrderIdBytes of [A-Za-z0-9_-].
//
// Thread-safety: free functions are pure and thread-safe. QrSigningKey and QrKeyRing are
// immutable after construction except QrKeyRing::Add/Remove, which need external
// synchronisation against concurrent readers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "identity/secret_key.h"

namespace qb::paytoken {

inline constexpr std::string_view kQrScheme = "qbpay:";
inline constexpr uint8_t kQrVersion = 1;
inline constexpr std::string_view kQrSignatureContext = "qianbao-qr-v1";
inline constexpr size_t kQrSignatureBytes = 64;
inline constexpr size_t kQrPublicKeyBytes = 32;
inline constexpr size_t kMaxQrOrderIdBytes = 64;
inline constexpr int64_t kMaxQrAmountFen = 10'000'000'000;  // ¥100,000,000
// Longest valid text is 226 characters; anything longer is rejected before decoding.
inline constexpr size_t kMaxQrTextChars = 256;

enum class QrKind : uint8_t { kStatic = 1, kDynamic = 2 };

// Ordered by precedence: VerifyQr reports the first that applies.
enum class QrResult : uint8_t {
  kOk = 0,
  kMalformed,           // Not qbpay text, bad base64url, wrong lengths, unknown kind.
  kUnsupportedVersion,  // Well-formed but a version this build does not read.
  kUnknownKey,          // key_id not in the key ring (never issued, or retired).
  kBadSignature,        // Forged or altered.
  kInvalidField,        // Signed, but a field is out of bounds.
  kExpired,             // Dynamic QR at or after expires_at_ns.
};

// Stable names for logs and API error codes ("malformed", "bad_signature", ...).
std::string_view QrResultName(QrResult result);

struct QrPayload {
  QrKind kind = QrKind::kStatic;
  uint64_t merchant_id = 0;
  // Dynamic only; empty, zero for static.
  std::string order_id;
  int64_t amount_fen = 0;
  std::string currency;
  int64_t expires_at_ns = 0;
};

// kOk or kInvalidField, by the bounds in the header comment.
QrResult ValidateQrFields(const QrPayload& payload);

using QrPublicKey = std::array<uint8_t, kQrPublicKeyBytes>;

// An Ed25519 signing key named by key_id. Holds only the 32-byte seed, in guarded memory
// (identity::SecretKey); the expanded key lives on the stack for the length of one Sign.
class QrSigningKey {
 public:
  QrSigningKey(uint32_t key_id, identity::SecretKey seed);

  uint32_t key_id() const { return key_id_; }
  const QrPublicKey& public_key() const { return public_key_; }

 private:
  friend QrResult SignQr(const QrPayload& payload, const QrSigningKey& key, std::string* text);

  uint32_t key_id_;
  identity::SecretKey seed_;
  QrPublicKey public_key_{};
};

// The public keys a verifier accepts, by key id. Retire a key with Remove once every QR it
// signed may be rejected (static QRs are printed: retire their keys with care).
class QrKeyRing {
 public:
  // Replaces any key with the same id.
  void Add(uint32_t key_id, const QrPublicKey& public_key) { keys_[key_id] = public_key; }
  bool Remove(uint32_t key_id) { return keys_.erase(key_id) > 0; }
  const QrPublicKey* Find(uint32_t key_id) const;

 private:
  absl::flat_hash_map<uint32_t, QrPublicKey> keys_;
};

// Validates the fields and, on kOk, writes the qr_text to *text. Returns kInvalidField (and
// leaves *text alone) for out-of-bounds fields. Deterministic: Ed25519 signatures are.
QrResult SignQr(const QrPayload& payload, const QrSigningKey& key, std::string* text);

// Checks, in order: framing, version, key id, signature, field bounds and (dynamic) expiry
// against now_ns. On kOk fills *payload and, when given, *key_id; otherwise leaves them alone.
QrResult VerifyQr(std::string_view text, const QrKeyRing& keys, int64_t now_ns, QrPayload* payload,
                  uint32_t* key_id = nullptr);

}  // namespace qb::paytoken
