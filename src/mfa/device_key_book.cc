// DeviceKeyBook encoding (also in device_key_book.h), integers little-endian. Version 2:
//
//   book       := magic:u32 ("QBK2") next_device_id:u64 key_count:u64 key* challenges
//   key        := device_id:u64 customer_id:u64 kind:u8 material name:str created_ns:i64
//                 last_used_ns:i64 bad_signatures:u32 suspended:u8   (ascending device id)
//   material   := public_key:32 bytes (kind 0) | credential_id:str cose_key:str sign_count:u32
//                 (kind 1)
// Version 1 (magic "QBDK", still read): key := device_id customer_id public_key:32 bytes name
// created_ns last_used_ns bad_signatures suspended, every key Ed25519.
//   challenges := the ChallengeBook's own encoding (device_key.h), to the end
//   str        := length:u32 bytes
//
// The indexes by customer and by public key are derived and rebuilt on load.
#include "mfa/device_key_book.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"
#include "base/bytes.h"

namespace qb::mfa {
namespace {

constexpr uint32_t kMagicV1 = 0x4b444251;  // "QBDK"
constexpr uint32_t kMagicV2 = 0x324b4251;  // "QBK2"
constexpr std::string_view kWebAuthnIndexPrefix = "webauthn:";
constexpr int64_t kLatestIssuedNs = INT64_MAX - kChallengeLifetimeNs;

std::string KeyBytes(const DevicePublicKey& key) {
  return std::string(reinterpret_cast<const char*>(key.bytes().data()), key.bytes().size());
}

// The uniqueness index's key: one public key (or credential) belongs to one record.
std::string IndexKey(const DeviceKey& key) {
  if (key.kind == DeviceKeyKind::kWebAuthn) {
    return std::string(kWebAuthnIndexPrefix) + key.credential_id;
  }
  QB_ASSERT(key.public_key.has_value());
  return KeyBytes(*key.public_key);
}

bool NeedsUserVerification(ChallengePurpose purpose) {
  return purpose == ChallengePurpose::kPaymentConfirmation ||
         purpose == ChallengePurpose::kSecurityChange;
}

std::string NonceBytes(const ChallengeNonce& nonce) {
  return std::string(reinterpret_cast<const char*>(nonce.data()), nonce.size());
}

std::string BindingPrefix(uint64_t customer_id) {
  return "bind:" + std::to_string(customer_id) + ":";
}

bool IsKnownPurpose(ChallengePurpose purpose) {
  const auto value = static_cast<uint8_t>(purpose);
  return value >= 1 && value <= kMaxChallengePurpose;
}

DeviceKeyResult FromVerdict(ChallengeVerdict verdict) {
  switch (verdict) {
    case ChallengeVerdict::kOk:
      return DeviceKeyResult::kOk;
    case ChallengeVerdict::kMalformedSignature:
      return DeviceKeyResult::kMalformedSignature;
    case ChallengeVerdict::kUnknownChallenge:
      return DeviceKeyResult::kUnknownChallenge;
    case ChallengeVerdict::kAlreadyUsed:
      return DeviceKeyResult::kReplayed;
    case ChallengeVerdict::kExpired:
      return DeviceKeyResult::kExpired;
    case ChallengeVerdict::kBadSignature:
      return DeviceKeyResult::kBadSignature;
  }
  return DeviceKeyResult::kInvalid;
}

// The challenge a response must answer: the book's copy when it is for this device, purpose
// and context; otherwise one that differs from any copy, so VerifyChallengeResponse reports
// kUnknownChallenge (or kAlreadyUsed for a consumed nonce) and consumes nothing.
Challenge ExpectedChallenge(const ChallengeBook& book, const ChallengeNonce& nonce,
                            uint64_t device_id, ChallengePurpose purpose,
                            std::string_view context) {
  const Challenge* found = book.FindOutstanding(nonce);
  if (found != nullptr && found->device_id == device_id && found->purpose == purpose &&
      found->context == context) {
    return *found;
  }
  Challenge expected;
  expected.nonce = nonce;
  expected.device_id = device_id;
  expected.purpose = purpose;
  expected.context = std::string(context);
  expected.issued_ns = -1;  // never stored, so never equal to the book's copy
  return expected;
}

}  // namespace

std::string_view DeviceKeyResultName(DeviceKeyResult result) {
  switch (result) {
    case DeviceKeyResult::kOk:
      return "ok";
    case DeviceKeyResult::kInvalid:
      return "invalid";
    case DeviceKeyResult::kCustomerNotFound:
      return "customer_not_found";
    case DeviceKeyResult::kKeyLimit:
      return "key_limit";
    case DeviceKeyResult::kKeyNotFound:
      return "key_not_found";
    case DeviceKeyResult::kKeySuspended:
      return "key_suspended";
    case DeviceKeyResult::kKeyTaken:
      return "key_taken";
    case DeviceKeyResult::kDuplicateNonce:
      return "duplicate_nonce";
    case DeviceKeyResult::kChallengeBookFull:
      return "challenge_book_full";
    case DeviceKeyResult::kMalformedSignature:
      return "malformed_signature";
    case DeviceKeyResult::kUnknownChallenge:
      return "unknown_challenge";
    case DeviceKeyResult::kReplayed:
      return "replayed";
    case DeviceKeyResult::kExpired:
      return "expired";
    case DeviceKeyResult::kBadSignature:
      return "bad_signature";
    case DeviceKeyResult::kSuspendedNow:
      return "suspended_now";
    case DeviceKeyResult::kCloneWarning:
      return "clone_warning";
    case DeviceKeyResult::kUserNotVerified:
      return "user_not_verified";
  }
  return "unknown";
}

std::string DeviceKeyBook::BindingContext(uint64_t customer_id, const DevicePublicKey& key) {
  return BindingPrefix(customer_id) + KeyBytes(key);
}

std::string DeviceKeyBook::WebAuthnBindingContext(uint64_t customer_id) {
  return "bind-webauthn:" + std::to_string(customer_id);
}

DeviceKeyResult DeviceKeyBook::IssueChallenge(uint64_t customer_id, bool customer_exists,
                                              Challenge challenge, int64_t now_ns,
                                              Challenge* issued) {
  if (!IsKnownPurpose(challenge.purpose) || challenge.context.size() > kMaxChallengeContextBytes ||
      now_ns < 0 || now_ns > kLatestIssuedNs) {
    return DeviceKeyResult::kInvalid;
  }
  if (!customer_exists) return DeviceKeyResult::kCustomerNotFound;
  challenge.issued_ns = now_ns;
  challenge.expires_ns = now_ns + kChallengeLifetimeNs;
  const bool binding = challenge.purpose == ChallengePurpose::kDeviceBinding;
  if (binding && challenge.context == WebAuthnBindingContext(customer_id)) {
    // The credential is made after this challenge, so nothing can be checked against it yet.
    if (challenge.device_id != 0) return DeviceKeyResult::kInvalid;
    if (CountOf(customer_id) >= kMaxDeviceKeysPerCustomer) return DeviceKeyResult::kKeyLimit;
    challenge.device_id = next_device_id_;
  } else if (binding) {
    const std::string prefix = BindingPrefix(customer_id);
    if (challenge.device_id != 0 || !challenge.context.starts_with(prefix)) {
      return DeviceKeyResult::kInvalid;
    }
    const std::optional<DevicePublicKey> key =
        DevicePublicKey::FromBytes(std::string_view(challenge.context).substr(prefix.size()));
    if (!key) return DeviceKeyResult::kInvalid;
    size_t replaced = 0;
    if (auto it = by_public_key_.find(KeyBytes(*key)); it != by_public_key_.end()) {
      const DeviceKey& existing = keys_.at(it->second);
      if (!existing.suspended || existing.customer_id != customer_id) {
        return DeviceKeyResult::kKeyTaken;
      }
      replaced = 1;
    }
    if (CountOf(customer_id) - replaced >= kMaxDeviceKeysPerCustomer) {
      return DeviceKeyResult::kKeyLimit;
    }
    challenge.device_id = next_device_id_;
  } else {
    const DeviceKey* key = Find(challenge.device_id);
    if (key == nullptr || key->customer_id != customer_id) return DeviceKeyResult::kKeyNotFound;
    if (key->suspended) return DeviceKeyResult::kKeySuspended;
  }
  switch (challenges_.Issue(challenge)) {
    case IssueResult::kOk:
      break;
    case IssueResult::kDuplicateNonce:
      return DeviceKeyResult::kDuplicateNonce;
    case IssueResult::kFull:
      return DeviceKeyResult::kChallengeBookFull;
  }
  if (binding) next_device_id_++;
  if (issued != nullptr) *issued = std::move(challenge);
  return DeviceKeyResult::kOk;
}

DeviceKeyResult DeviceKeyBook::Register(uint64_t customer_id, uint64_t device_id,
                                        std::string_view public_key_bytes, std::string_view name,
                                        const ChallengeNonce& nonce, std::string_view signature,
                                        int64_t now_ns) {
  const std::optional<DevicePublicKey> key = DevicePublicKey::FromBytes(public_key_bytes);
  if (!key || name.empty() || name.size() > kMaxDeviceNameBytes || customer_id == 0 ||
      device_id == 0) {
    return DeviceKeyResult::kInvalid;
  }
  // A device id names one record for ever: a second registration under it is a replay.
  if (keys_.contains(device_id)) return DeviceKeyResult::kReplayed;
  const DeviceKey* replaced = nullptr;
  if (auto it = by_public_key_.find(KeyBytes(*key)); it != by_public_key_.end()) {
    replaced = &keys_.at(it->second);
    if (!replaced->suspended || replaced->customer_id != customer_id) {
      return DeviceKeyResult::kKeyTaken;
    }
  }
  if (CountOf(customer_id) - (replaced != nullptr ? 1 : 0) >= kMaxDeviceKeysPerCustomer) {
    return DeviceKeyResult::kKeyLimit;
  }
  const Challenge expected =
      ExpectedChallenge(challenges_, nonce, device_id, ChallengePurpose::kDeviceBinding,
                        BindingContext(customer_id, *key));
  const DeviceKeyResult result =
      FromVerdict(VerifyChallengeResponse(*key, expected, signature, now_ns, &challenges_));
  if (result != DeviceKeyResult::kOk) return result;
  if (replaced != nullptr) {
    const uint64_t old_id = replaced->device_id;
    Unindex(*replaced);
    keys_.erase(old_id);
  }
  DeviceKey record{.device_id = device_id,
                   .customer_id = customer_id,
                   .public_key = *key,
                   .name = std::string(name),
                   .created_ns = now_ns};
  Index(record);
  keys_.emplace(device_id, std::move(record));
  return DeviceKeyResult::kOk;
}

DeviceKeyResult DeviceKeyBook::Answer(uint64_t customer_id, uint64_t device_id,
                                      ChallengePurpose purpose, std::string_view context,
                                      const ChallengeNonce& nonce, std::string_view signature,
                                      int64_t now_ns, uint32_t* tries_left) {
  // Binding is Register's: an answer never registers anything.
  if (!IsKnownPurpose(purpose) || purpose == ChallengePurpose::kDeviceBinding ||
      context.size() > kMaxChallengeContextBytes) {
    return DeviceKeyResult::kInvalid;
  }
  DeviceKey* key = MutableFind(device_id);
  if (key == nullptr || key->customer_id != customer_id) return DeviceKeyResult::kKeyNotFound;
  if (key->suspended) return DeviceKeyResult::kKeySuspended;
  // A WebAuthn key answers with AnswerWebAuthn: a bare signature cannot be one of its answers.
  if (key->kind != DeviceKeyKind::kEd25519) return DeviceKeyResult::kMalformedSignature;
  const Challenge expected = ExpectedChallenge(challenges_, nonce, device_id, purpose, context);
  const DeviceKeyResult result = FromVerdict(
      VerifyChallengeResponse(*key->public_key, expected, signature, now_ns, &challenges_));
  if (result == DeviceKeyResult::kOk) {
    key->bad_signatures = 0;
    key->last_used_ns = now_ns;
  } else if (result == DeviceKeyResult::kBadSignature) {
    return CountBadSignature(key, tries_left);
  }
  return result;
}

DeviceKeyResult DeviceKeyBook::CountBadSignature(DeviceKey* key, uint32_t* tries_left) {
  if (++key->bad_signatures >= kMaxDeviceBadSignatures) {
    key->bad_signatures = 0;
    key->suspended = true;
    if (tries_left != nullptr) *tries_left = 0;
    return DeviceKeyResult::kSuspendedNow;
  }
  if (tries_left != nullptr) *tries_left = kMaxDeviceBadSignatures - key->bad_signatures;
  return DeviceKeyResult::kBadSignature;
}

DeviceKeyResult DeviceKeyBook::RegisterWebAuthn(uint64_t customer_id, uint64_t device_id,
                                                std::string_view name, const ChallengeNonce& nonce,
                                                const WebAuthnProof& proof, int64_t now_ns) {
  if (name.empty() || name.size() > kMaxDeviceNameBytes || customer_id == 0 || device_id == 0) {
    return DeviceKeyResult::kInvalid;
  }
  if (keys_.contains(device_id)) return DeviceKeyResult::kReplayed;
  const std::optional<AuthenticatorData> auth = ParseAuthenticatorData(proof.authenticator_data);
  if (!auth || !ParseClientData(proof.client_data_json)) {
    return DeviceKeyResult::kMalformedSignature;
  }
  if ((auth->flags & kAuthDataAttestedCredential) == 0 || !ParseCoseKey(auth->cose_key)) {
    return DeviceKeyResult::kInvalid;
  }
  const DeviceKey* replaced = nullptr;
  const std::string index_key = std::string(kWebAuthnIndexPrefix) + auth->credential_id;
  if (auto it = by_public_key_.find(index_key); it != by_public_key_.end()) {
    replaced = &keys_.at(it->second);
    if (!replaced->suspended || replaced->customer_id != customer_id) {
      return DeviceKeyResult::kKeyTaken;
    }
  }
  if (CountOf(customer_id) - (replaced != nullptr ? 1 : 0) >= kMaxDeviceKeysPerCustomer) {
    return DeviceKeyResult::kKeyLimit;
  }
  const Challenge expected =
      ExpectedChallenge(challenges_, nonce, device_id, ChallengePurpose::kDeviceBinding,
                        WebAuthnBindingContext(customer_id));
  const DeviceKeyResult settled = FromVerdict(challenges_.Consume(expected, now_ns));
  if (settled != DeviceKeyResult::kOk) return settled;
  const std::string challenge_bytes = NonceBytes(nonce);
  WebAuthnCredential credential;
  const WebAuthnVerdict verdict =
      VerifyWebAuthnRegistration(proof.authenticator_data, proof.client_data_json,
                                 WebAuthnExpectation{.challenge = challenge_bytes,
                                                     .rp_id = proof.rp_id,
                                                     .origin = proof.origin,
                                                     .require_user_verification = false},
                                 &credential);
  if (verdict != WebAuthnVerdict::kOk) return DeviceKeyResult::kBadSignature;
  if (replaced != nullptr) {
    const uint64_t old_id = replaced->device_id;
    Unindex(*replaced);
    keys_.erase(old_id);
  }
  DeviceKey record{.device_id = device_id,
                   .customer_id = customer_id,
                   .name = std::string(name),
                   .created_ns = now_ns,
                   .kind = DeviceKeyKind::kWebAuthn,
                   .credential_id = std::move(credential.credential_id),
                   .cose_key = std::move(credential.cose_key),
                   .sign_count = credential.sign_count};
  Index(record);
  keys_.emplace(device_id, std::move(record));
  return DeviceKeyResult::kOk;
}

DeviceKeyResult DeviceKeyBook::AnswerWebAuthn(uint64_t customer_id, uint64_t device_id,
                                              ChallengePurpose purpose, std::string_view context,
                                              const ChallengeNonce& nonce,
                                              const WebAuthnProof& proof, int64_t now_ns,
                                              uint32_t* tries_left) {
  if (!IsKnownPurpose(purpose) || purpose == ChallengePurpose::kDeviceBinding ||
      context.size() > kMaxChallengeContextBytes) {
    return DeviceKeyResult::kInvalid;
  }
  DeviceKey* key = MutableFind(device_id);
  if (key == nullptr || key->customer_id != customer_id) return DeviceKeyResult::kKeyNotFound;
  if (key->suspended) return DeviceKeyResult::kKeySuspended;
  if (key->kind != DeviceKeyKind::kWebAuthn) return DeviceKeyResult::kInvalid;
  // Unparsable answers consume nothing, like a malformed Ed25519 signature.
  const std::optional<std::string> signature =
      DecodeBase64Url(proof.signature, kMaxWebAuthnSignatureBytes);
  if (!signature || signature->empty() || !ParseAuthenticatorData(proof.authenticator_data) ||
      !ParseClientData(proof.client_data_json)) {
    return DeviceKeyResult::kMalformedSignature;
  }
  const Challenge expected = ExpectedChallenge(challenges_, nonce, device_id, purpose, context);
  const DeviceKeyResult settled = FromVerdict(challenges_.Consume(expected, now_ns));
  if (settled != DeviceKeyResult::kOk) return settled;
  const std::string challenge_bytes = NonceBytes(nonce);
  uint32_t sign_count = 0;
  const WebAuthnVerdict verdict = VerifyWebAuthnAssertion(
      key->cose_key, key->sign_count, proof.authenticator_data, proof.client_data_json, *signature,
      WebAuthnExpectation{.challenge = challenge_bytes,
                          .rp_id = proof.rp_id,
                          .origin = proof.origin,
                          .require_user_verification = NeedsUserVerification(purpose)},
      &sign_count);
  switch (verdict) {
    case WebAuthnVerdict::kOk:
      key->sign_count = sign_count;
      key->bad_signatures = 0;
      key->last_used_ns = now_ns;
      return DeviceKeyResult::kOk;
    case WebAuthnVerdict::kSignCountNotRising:
      return DeviceKeyResult::kCloneWarning;
    case WebAuthnVerdict::kUserNotVerified:
      return DeviceKeyResult::kUserNotVerified;
    default:
      return CountBadSignature(key, tries_left);
  }
}

DeviceKeyResult DeviceKeyBook::Remove(uint64_t customer_id, uint64_t device_id) {
  auto it = keys_.find(device_id);
  if (it == keys_.end() || it->second.customer_id != customer_id) {
    return DeviceKeyResult::kKeyNotFound;
  }
  Unindex(it->second);
  keys_.erase(it);
  return DeviceKeyResult::kOk;
}

const DeviceKey* DeviceKeyBook::Find(uint64_t device_id) const {
  auto it = keys_.find(device_id);
  return it == keys_.end() ? nullptr : &it->second;
}

DeviceKey* DeviceKeyBook::MutableFind(uint64_t device_id) {
  auto it = keys_.find(device_id);
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<const DeviceKey*> DeviceKeyBook::KeysOf(uint64_t customer_id) const {
  std::vector<const DeviceKey*> out;
  auto it = by_customer_.find(customer_id);
  if (it == by_customer_.end()) return out;
  for (uint64_t id : it->second) out.push_back(&keys_.at(id));
  return out;
}

size_t DeviceKeyBook::CountOf(uint64_t customer_id) const {
  auto it = by_customer_.find(customer_id);
  return it == by_customer_.end() ? 0 : it->second.size();
}

void DeviceKeyBook::Index(const DeviceKey& key) {
  std::vector<uint64_t>& ids = by_customer_[key.customer_id];
  ids.insert(std::upper_bound(ids.begin(), ids.end(), key.device_id), key.device_id);
  by_public_key_[IndexKey(key)] = key.device_id;
}

void DeviceKeyBook::Unindex(const DeviceKey& key) {
  auto it = by_customer_.find(key.customer_id);
  QB_ASSERT(it != by_customer_.end());
  std::erase(it->second, key.device_id);
  if (it->second.empty()) by_customer_.erase(it);
  by_public_key_.erase(IndexKey(key));
}

bool DeviceKeyBook::empty() const {
  return keys_.empty() && next_device_id_ == 1 && challenges_.outstanding_count() == 0 &&
         challenges_.remembered_count() == 0;
}

void DeviceKeyBook::Clear() {
  keys_.clear();
  challenges_.Clear();
  next_device_id_ = 1;
  by_customer_.clear();
  by_public_key_.clear();
}

void DeviceKeyBook::Serialize(std::string* out) const {
  ByteWriter w(out);
  w.U32(kMagicV2);
  w.U64(next_device_id_);
  w.U64(keys_.size());
  for (const auto& [id, key] : keys_) {
    w.U64(key.device_id);
    w.U64(key.customer_id);
    w.U8(static_cast<uint8_t>(key.kind));
    if (key.kind == DeviceKeyKind::kWebAuthn) {
      w.LengthPrefixed(key.credential_id);
      w.LengthPrefixed(key.cose_key);
      w.U32(key.sign_count);
    } else {
      w.Bytes(KeyBytes(*key.public_key));
    }
    w.LengthPrefixed(key.name);
    w.I64(key.created_ns);
    w.I64(key.last_used_ns);
    w.U32(key.bad_signatures);
    w.U8(key.suspended ? 1 : 0);
  }
  challenges_.Serialize(out);
}

bool DeviceKeyBook::Deserialize(std::string_view bytes) {
  Clear();
  ByteReader r(bytes);
  // The smallest key of either version (a v2 WebAuthn key is at least 8+8+1+4+1+4+1+4).
  constexpr size_t kMinKeyBytes = 8 + 8 + 4 + 8 + 8 + 4 + 1 + 1 + 4 + 1 + 4;
  const uint32_t magic = r.U32();
  const bool header_ok = magic == kMagicV1 || magic == kMagicV2;
  next_device_id_ = r.U64();
  const uint64_t count = r.U64();
  if (!r.ok() || !header_ok || next_device_id_ == 0 || count > r.remaining() / kMinKeyBytes) {
    Clear();
    return false;
  }
  uint64_t previous_id = 0;
  for (uint64_t i = 0; i < count; i++) {
    const uint64_t device_id = r.U64();
    const uint64_t customer_id = r.U64();
    const uint8_t kind = magic == kMagicV2 ? r.U8() : 0;
    std::optional<DevicePublicKey> key;
    std::string credential_id;
    std::string cose_key;
    uint32_t sign_count = 0;
    bool material_ok = false;
    if (kind == static_cast<uint8_t>(DeviceKeyKind::kEd25519)) {
      key = DevicePublicKey::FromBytes(r.Bytes(kDevicePublicKeyBytes));
      material_ok = key.has_value();
    } else if (kind == static_cast<uint8_t>(DeviceKeyKind::kWebAuthn)) {
      credential_id = std::string(r.LengthPrefixed());
      cose_key = std::string(r.LengthPrefixed());
      sign_count = r.U32();
      material_ok = r.ok() && !credential_id.empty() &&
                    credential_id.size() <= kMaxCredentialIdBytes &&
                    ParseCoseKey(cose_key).has_value();
    }
    const std::string name(r.LengthPrefixed());
    const int64_t created_ns = r.I64();
    const int64_t last_used_ns = r.I64();
    const uint32_t bad_signatures = r.U32();
    const uint8_t suspended = r.U8();
    if (!r.ok() || !material_ok || device_id <= previous_id || device_id >= next_device_id_ ||
        customer_id == 0 || name.empty() || name.size() > kMaxDeviceNameBytes ||
        bad_signatures >= kMaxDeviceBadSignatures || suspended > 1 ||
        CountOf(customer_id) >= kMaxDeviceKeysPerCustomer) {
      Clear();
      return false;
    }
    DeviceKey record{.device_id = device_id,
                     .customer_id = customer_id,
                     .public_key = key,
                     .name = name,
                     .created_ns = created_ns,
                     .last_used_ns = last_used_ns,
                     .bad_signatures = bad_signatures,
                     .suspended = suspended == 1,
                     .kind = static_cast<DeviceKeyKind>(kind),
                     .credential_id = std::move(credential_id),
                     .cose_key = std::move(cose_key),
                     .sign_count = sign_count};
    if (by_public_key_.contains(IndexKey(record))) {
      Clear();
      return false;
    }
    previous_id = device_id;
    Index(record);
    keys_.emplace(device_id, std::move(record));
  }
  if (!challenges_.Deserialize(bytes.substr(r.position()))) {
    Clear();
    return false;
  }
  return true;
}

}  // namespace qb::mfa
