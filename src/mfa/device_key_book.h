// The engine's device keys (issue 5): every customer's registered public keys (Ed25519, or
// WebAuthn credentials: mfa/webauthn.h), and the
// ChallengeBook of challenges issued for them. Pure and deterministic like the customer book:
// no clock, no randomness, no I/O; time is the batch time the engine passes in. Owned by the
// engine's single writer; not synchronized.
//
// Rules:
// - A customer registers at most kMaxKeysPerCustomer keys (suspended ones count). The engine
//   allocates device ids (never reused) when a binding challenge is issued.
// - Registering proves possession: the signature answers a kDeviceBinding challenge for that
//   device id whose context is BindingContext(customer, key), so a binding challenge cannot be
//   used for another customer or another key.
// - One public key belongs to one customer at a time. Registering the key of a suspended record
//   again replaces that record (re-binding lifts the suspension; the new record gets a new id).
// - Every wrong signature for a registered key counts; the kMaxBadSignatures-th in a row
//   suspends the key until it is bound again. A right one clears the count.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mfa/device_key.h"
#include "mfa/webauthn.h"

namespace qb::mfa {

inline constexpr size_t kMaxDeviceKeysPerCustomer = 5;
inline constexpr uint32_t kMaxDeviceBadSignatures = 5;
// A device's display name: the API allows 32 characters; the engine bounds the bytes (UTF-8).
inline constexpr size_t kMaxDeviceNameChars = 32;
inline constexpr size_t kMaxDeviceNameBytes = 4 * kMaxDeviceNameChars;

// Stable values, part of the journal's replies: append, never renumber. Ordered roughly by
// precedence within each command.
enum class DeviceKeyResult : uint8_t {
  kOk = 0,
  kInvalid = 1,  // A field the API should have rejected.
  kCustomerNotFound = 2,
  kKeyLimit = 3,           // kMaxDeviceKeysPerCustomer keys already.
  kKeyNotFound = 4,        // No such device id, or not this customer's.
  kKeySuspended = 5,       // Too many wrong signatures: bind the key again.
  kKeyTaken = 6,           // The public key is registered (active) already.
  kDuplicateNonce = 7,     // IssueResult::kDuplicateNonce.
  kChallengeBookFull = 8,  // IssueResult::kFull: try again later.
  kMalformedSignature = 9,
  kUnknownChallenge = 10,  // Not outstanding, or for another device, purpose or context.
  kReplayed = 11,          // Answered before.
  kExpired = 12,
  kBadSignature = 13,  // Counted: Reply::value is the tries left before suspension.
  kSuspendedNow = 14,  // The wrong signature that suspended the key.
  // WebAuthn only. Both consume the challenge and do not count towards the lockout.
  kCloneWarning = 15,     // The signature counter did not rise: a cloned authenticator?
  kUserNotVerified = 16,  // UV clear where the purpose needs it (payment, security change).
};

// Persisted (DeviceKeyBook::Serialize): append only.
enum class DeviceKeyKind : uint8_t {
  kEd25519 = 0,   // a raw Ed25519 key signing ChallengeMessage (device_key.h)
  kWebAuthn = 1,  // a WebAuthn credential (webauthn.h)
};

// A WebAuthn answer as it travels in a command. `signature` is base64url as the client sent it;
// the other byte strings are raw. rp_id and origin are what the server expected when it took
// the request (its configuration), journaled so replay decides the same way.
struct WebAuthnProof {
  std::string_view authenticator_data;
  std::string_view client_data_json;
  std::string_view signature;
  std::string_view rp_id;
  std::string_view origin;
};

std::string_view DeviceKeyResultName(DeviceKeyResult result);

struct DeviceKey {
  uint64_t device_id = 0;
  uint64_t customer_id = 0;
  std::optional<DevicePublicKey> public_key{};  // kEd25519 keys only
  std::string name;
  int64_t created_ns = 0;
  int64_t last_used_ns = 0;  // 0: never used since it was bound.
  uint32_t bad_signatures = 0;
  bool suspended = false;
  DeviceKeyKind kind = DeviceKeyKind::kEd25519;
  // kWebAuthn only: the credential id, the COSE key (CBOR) and the authenticator's signature
  // counter as last seen.
  std::string credential_id{};
  std::string cose_key{};
  uint32_t sign_count = 0;

  bool operator==(const DeviceKey&) const = default;
};

class DeviceKeyBook {
 public:
  // The context of a kDeviceBinding challenge: ASCII "bind:<customer_id>:" then the 32 key
  // bytes (58 bytes at most, within kMaxChallengeContextBytes).
  static std::string BindingContext(uint64_t customer_id, const DevicePublicKey& key);
  // The context of a kDeviceBinding challenge for a WebAuthn credential, whose key is only
  // known once the authenticator made it: ASCII "bind-webauthn:<customer_id>".
  static std::string WebAuthnBindingContext(uint64_t customer_id);

  // Stores `challenge`, re-stamped with issued_ns = now_ns (the batch time, which expiry is
  // checked against). For kDeviceBinding the challenge's device_id must be 0 and the book
  // allocates one (in *device_id); its context must be a BindingContext or a
  // WebAuthnBindingContext for `customer_id`.
  // For the other purposes device_id must be one of the customer's unsuspended keys.
  // `customer_exists` is the engine's look-up. On success *issued is the stored challenge.
  DeviceKeyResult IssueChallenge(uint64_t customer_id, bool customer_exists, Challenge challenge,
                                 int64_t now_ns, Challenge* issued);

  // Registers `public_key_bytes` as device `device_id` of `customer_id`, if `signature` answers
  // the outstanding binding challenge `nonce` for exactly that device, customer and key.
  DeviceKeyResult Register(uint64_t customer_id, uint64_t device_id,
                           std::string_view public_key_bytes, std::string_view name,
                           const ChallengeNonce& nonce, std::string_view signature, int64_t now_ns);

  // Verifies `signature` over the outstanding challenge `nonce`, which must be for `device_id`
  // (one of `customer_id`'s keys), `purpose` and `context`; consumes it (VerifyChallengeResponse
  // rules). *tries_left is set on kBadSignature.
  DeviceKeyResult Answer(uint64_t customer_id, uint64_t device_id, ChallengePurpose purpose,
                         std::string_view context, const ChallengeNonce& nonce,
                         std::string_view signature, int64_t now_ns, uint32_t* tries_left);

  // WebAuthn registration: the attestation's authenticatorData and clientDataJSON answer the
  // outstanding binding challenge `nonce` (a WebAuthnBindingContext one) for `device_id`.
  // Refusals: kMalformedSignature (unparsable; nothing consumed), kInvalid (no supported key),
  // kKeyTaken (credential id registered), kUnknownChallenge / kReplayed / kExpired, and
  // kBadSignature for any failed WebAuthn check (type, challenge, origin, rp id, UP), which
  // consumes the challenge.
  DeviceKeyResult RegisterWebAuthn(uint64_t customer_id, uint64_t device_id, std::string_view name,
                                   const ChallengeNonce& nonce, const WebAuthnProof& proof,
                                   int64_t now_ns);

  // Answer for a kWebAuthn key: as Answer, plus kCloneWarning and kUserNotVerified (UV is
  // required for kPaymentConfirmation and kSecurityChange). A failed type, challenge, origin,
  // rp id, UP or signature check is kBadSignature and counts. Answer (Ed25519) on a WebAuthn
  // key is kMalformedSignature, AnswerWebAuthn on an Ed25519 key kInvalid.
  DeviceKeyResult AnswerWebAuthn(uint64_t customer_id, uint64_t device_id, ChallengePurpose purpose,
                                 std::string_view context, const ChallengeNonce& nonce,
                                 const WebAuthnProof& proof, int64_t now_ns, uint32_t* tries_left);

  DeviceKeyResult Remove(uint64_t customer_id, uint64_t device_id);

  const DeviceKey* Find(uint64_t device_id) const;
  // The customer's keys in ascending device id.
  std::vector<const DeviceKey*> KeysOf(uint64_t customer_id) const;
  const ChallengeBook& challenges() const { return challenges_; }
  uint64_t next_device_id() const { return next_device_id_; }

  // No keys, no challenges (outstanding or remembered) and no id ever allocated: the state of
  // an engine from before device keys, which serializes to nothing.
  bool empty() const;
  void Clear();

  // Version 2 (written):
  // book := magic:u32 ("QBK2") next_device_id:u64 key_count:u64 key* challenges
  // key  := device_id:u64 customer_id:u64 kind:u8 material name:str created_ns:i64
  //         last_used_ns:i64 bad_signatures:u32 suspended:u8      (ascending device id)
  // material := public_key:32 bytes                               (kind 0, Ed25519)
  //           | credential_id:str cose_key:str sign_count:u32      (kind 1, WebAuthn)
  // Version 1 (read, from before WebAuthn): magic "QBDK" and keys without kind and material
  // other than public_key:32 bytes, all Ed25519.
  // challenges := ChallengeBook::Serialize; str := length:u32 bytes. Deserialize refuses
  // anything Register could not have produced (ids out of order or not below next_device_id,
  // invalid keys, too many per customer, a public key or credential id twice) and leaves the
  // book empty.
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  size_t CountOf(uint64_t customer_id) const;
  // A refused signature of `key`: counts it, suspends at the limit.
  DeviceKeyResult CountBadSignature(DeviceKey* key, uint32_t* tries_left);
  DeviceKey* MutableFind(uint64_t device_id);

  void Index(const DeviceKey& key);
  void Unindex(const DeviceKey& key);

  std::map<uint64_t, DeviceKey> keys_;  // device id → key; ordered for Serialize.
  ChallengeBook challenges_;
  uint64_t next_device_id_ = 1;
  // Derived: rebuilt by Deserialize, never serialized.
  std::unordered_map<uint64_t, std::vector<uint64_t>> by_customer_;  // ascending device ids
  // raw Ed25519 key bytes, or "webauthn:" + credential id → id
  std::unordered_map<std::string, uint64_t> by_public_key_;
};

}  // namespace qb::mfa
