// ChallengeBook encoding (also in device_key.h), integers little-endian, both tables in
// ascending order of the raw nonce bytes so equal books give equal bytes:
//
//   book      := magic:u32 ("QBDC") version:u32 (1)
//                outstanding_count:u64 challenge*
//                used_count:u64 used*
//   challenge := nonce:32 bytes device_id:u64 purpose:u8 issued_ns:i64 expires_ns:i64
//                context_length:u32 context
//   used      := nonce:32 bytes expires_ns:i64
//
// The indexes by expiry and by device are derived and rebuilt on load.
#include "mfa/device_key.h"

#include <limits>
#include <tuple>
#include <utility>

#include "base/assert.h"
#include "base/bytes.h"
#include "mfa/sodium_internal.h"

namespace qb::mfa {
namespace {

static_assert(crypto_sign_PUBLICKEYBYTES == kDevicePublicKeyBytes);
static_assert(crypto_core_ed25519_BYTES == kDevicePublicKeyBytes);
static_assert(crypto_sign_BYTES == kDeviceSignatureBytes);

constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr uint32_t kMagic = 0x43444251;  // "QBDC"
constexpr uint32_t kVersion = 1;
constexpr size_t kMinChallengeRecordBytes = kChallengeNonceBytes + 8 + 1 + 8 + 8 + 4;
constexpr size_t kUsedRecordBytes = kChallengeNonceBytes + 8;
constexpr int64_t kLatestIssuedNs = std::numeric_limits<int64_t>::max() - kChallengeLifetimeNs;

std::string Base64Url(const uint8_t* bytes, size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, kBase64Variant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size, kBase64Variant);
  text.pop_back();  // the encoder's NUL terminator
  return text;
}

// Exactly `size` bytes from their canonical unpadded base64url text; nullopt otherwise. The
// length is checked first, so arbitrarily long input is never decoded.
std::optional<std::string> DecodeBase64UrlExact(std::string_view text, size_t size) {
  if (text.size() != sodium_base64_ENCODED_LEN(size, kBase64Variant) - 1) return std::nullopt;
  std::string bytes(size, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, kBase64Variant) != 0 ||
      length != size) {
    return std::nullopt;
  }
  // Unused low bits in the last character must be zero, or two texts would name one value.
  if (Base64Url(reinterpret_cast<const uint8_t*>(bytes.data()), size) != text) {
    return std::nullopt;
  }
  return bytes;
}

std::string Hex(const uint8_t* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

std::string NonceKey(const ChallengeNonce& nonce) {
  return std::string(reinterpret_cast<const char*>(nonce.data()), nonce.size());
}

bool IsKnownPurpose(uint8_t value) { return value >= 1 && value <= kMaxChallengePurpose; }

// What Issue accepts and Deserialize insists on.
bool IsWellFormed(const Challenge& challenge) {
  return IsKnownPurpose(static_cast<uint8_t>(challenge.purpose)) && challenge.issued_ns >= 0 &&
         challenge.issued_ns <= kLatestIssuedNs &&
         challenge.expires_ns == challenge.issued_ns + kChallengeLifetimeNs &&
         challenge.context.size() <= kMaxChallengeContextBytes;
}

bool ReadChallenge(ByteReader& reader, Challenge* challenge) {
  const std::string_view nonce = reader.Bytes(kChallengeNonceBytes);
  if (!reader.ok()) return false;
  std::copy(nonce.begin(), nonce.end(), challenge->nonce.begin());
  challenge->device_id = reader.U64();
  const uint8_t purpose = reader.U8();
  if (!IsKnownPurpose(purpose)) return false;
  challenge->purpose = static_cast<ChallengePurpose>(purpose);
  challenge->issued_ns = reader.I64();
  challenge->expires_ns = reader.I64();
  challenge->context = std::string(reader.LengthPrefixed());
  return reader.ok() && IsWellFormed(*challenge);
}

}  // namespace

std::optional<DevicePublicKey> DevicePublicKey::FromBase64Url(std::string_view text) {
  std::optional<std::string> bytes = DecodeBase64UrlExact(text, kDevicePublicKeyBytes);
  if (!bytes) return std::nullopt;
  return FromBytes(*bytes);
}

std::optional<DevicePublicKey> DevicePublicKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kDevicePublicKeyBytes) return std::nullopt;
  internal::EnsureSodiumInitialized();
  DevicePublicKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  if (crypto_core_ed25519_is_valid_point(key.bytes_.data()) != 1) return std::nullopt;
  return key;
}

std::string DevicePublicKey::ToBase64Url() const { return Base64Url(bytes_.data(), bytes_.size()); }

std::string_view ChallengePurposeName(ChallengePurpose purpose) {
  switch (purpose) {
    case ChallengePurpose::kLogin:
      return "login";
    case ChallengePurpose::kPaymentConfirmation:
      return "payment_confirmation";
    case ChallengePurpose::kSecurityChange:
      return "security_change";
    case ChallengePurpose::kDeviceBinding:
      return "device_binding";
  }
  return "unknown";
}

std::optional<ChallengePurpose> ParseChallengePurpose(std::string_view name) {
  for (uint8_t value = 1; value <= kMaxChallengePurpose; value++) {
    const auto purpose = static_cast<ChallengePurpose>(value);
    if (ChallengePurposeName(purpose) == name) return purpose;
  }
  return std::nullopt;
}

std::string_view ChallengeVerdictName(ChallengeVerdict verdict) {
  switch (verdict) {
    case ChallengeVerdict::kOk:
      return "ok";
    case ChallengeVerdict::kMalformedSignature:
      return "malformed_signature";
    case ChallengeVerdict::kUnknownChallenge:
      return "unknown_challenge";
    case ChallengeVerdict::kAlreadyUsed:
      return "already_used";
    case ChallengeVerdict::kExpired:
      return "expired";
    case ChallengeVerdict::kBadSignature:
      return "bad_signature";
  }
  return "unknown";
}

Challenge NewChallenge(uint64_t device_id, ChallengePurpose purpose, int64_t now_ns,
                       std::string_view context) {
  internal::EnsureSodiumInitialized();
  ChallengeNonce nonce;
  randombytes_buf(nonce.data(), nonce.size());
  return MakeChallenge(nonce, device_id, purpose, now_ns, context);
}

Challenge MakeChallenge(const ChallengeNonce& nonce, uint64_t device_id, ChallengePurpose purpose,
                        int64_t now_ns, std::string_view context) {
  Challenge challenge;
  challenge.nonce = nonce;
  challenge.device_id = device_id;
  challenge.purpose = purpose;
  challenge.issued_ns = now_ns;
  challenge.expires_ns = now_ns + kChallengeLifetimeNs;
  challenge.context = std::string(context);
  QB_ASSERT(now_ns >= 0 && now_ns <= kLatestIssuedNs);
  QB_ASSERT(IsWellFormed(challenge));
  return challenge;
}

std::string ChallengeMessage(const Challenge& challenge) {
  QB_ASSERT(IsWellFormed(challenge));
  std::string message(kChallengeMessagePrefix);
  message.append(ChallengePurposeName(challenge.purpose));
  message.push_back('\n');
  message.append(Hex(challenge.nonce.data(), challenge.nonce.size()));
  message.push_back('\n');
  message.append(std::to_string(challenge.device_id));
  message.push_back('\n');
  message.append(std::to_string(challenge.expires_ns));
  message.push_back('\n');
  message.append(
      Hex(reinterpret_cast<const uint8_t*>(challenge.context.data()), challenge.context.size()));
  return message;
}

IssueResult ChallengeBook::Issue(const Challenge& challenge) {
  QB_ASSERT(IsWellFormed(challenge));
  const int64_t now_ns = challenge.issued_ns;
  PruneExpired(now_ns, kPruneBatch);
  const std::string key = NonceKey(challenge.nonce);
  if (outstanding_.contains(key) || used_.contains(key)) return IssueResult::kDuplicateNonce;
  auto device = outstanding_by_device_.find(challenge.device_id);
  if (device != outstanding_by_device_.end() && device->second.size() >= kMaxOutstandingPerDevice) {
    // Evict the device's oldest: earliest issued_ns, ties broken by nonce bytes, so the choice
    // never depends on the order the vector happens to be in.
    const std::string* oldest = nullptr;
    for (const std::string& candidate : device->second) {
      if (oldest == nullptr || std::tie(outstanding_.at(candidate).issued_ns, candidate) <
                                   std::tie(outstanding_.at(*oldest).issued_ns, *oldest)) {
        oldest = &candidate;
      }
    }
    Remove(*oldest);
  } else if (outstanding_.size() >= kMaxOutstandingChallenges) {
    outstanding_by_expiry_.PopDue(now_ns, kMaxOutstandingChallenges,
                                  [this](const std::string& due) { Remove(due); });
    if (outstanding_.size() >= kMaxOutstandingChallenges) return IssueResult::kFull;
  }
  Insert(challenge);
  return IssueResult::kOk;
}

const Challenge* ChallengeBook::FindOutstanding(const ChallengeNonce& nonce) const {
  auto it = outstanding_.find(NonceKey(nonce));
  return it == outstanding_.end() ? nullptr : &it->second;
}

bool ChallengeBook::WasUsed(const ChallengeNonce& nonce) const {
  return used_.contains(NonceKey(nonce));
}

ChallengeVerdict ChallengeBook::Consume(const Challenge& expected, int64_t now_ns) {
  const std::string nonce_key = NonceKey(expected.nonce);
  auto it = outstanding_.find(nonce_key);
  if (it == outstanding_.end()) {
    return used_.contains(nonce_key) ? ChallengeVerdict::kAlreadyUsed
                                     : ChallengeVerdict::kUnknownChallenge;
  }
  if (it->second != expected) return ChallengeVerdict::kUnknownChallenge;
  // `expected` may be the book's own copy, which Remove destroys.
  const int64_t expires_ns = expected.expires_ns;
  Remove(nonce_key);
  if (expires_ns <= now_ns) return ChallengeVerdict::kExpired;
  Remember(nonce_key, expires_ns);
  return ChallengeVerdict::kOk;
}

size_t ChallengeBook::PruneExpired(int64_t now_ns, size_t limit) {
  const size_t dropped =
      outstanding_by_expiry_.PopDue(now_ns, limit, [this](const std::string& due) { Remove(due); });
  return dropped + PruneUsed(now_ns, limit);
}

size_t ChallengeBook::outstanding_count(uint64_t device_id) const {
  auto it = outstanding_by_device_.find(device_id);
  return it == outstanding_by_device_.end() ? 0 : it->second.size();
}

void ChallengeBook::Clear() {
  outstanding_.clear();
  outstanding_by_expiry_.Clear();
  outstanding_by_device_.clear();
  used_.clear();
  used_by_expiry_.Clear();
}

void ChallengeBook::Insert(const Challenge& challenge) {
  std::string key = NonceKey(challenge.nonce);
  std::vector<std::string>& mine = outstanding_by_device_[challenge.device_id];
  QB_ASSERT(mine.size() < kMaxOutstandingPerDevice);
  QB_ASSERT(outstanding_.size() < kMaxOutstandingChallenges);
  QB_ASSERT(!used_.contains(key));
  mine.push_back(key);
  outstanding_by_expiry_.Add(challenge.expires_ns, key);
  const bool inserted = outstanding_.emplace(std::move(key), challenge).second;
  QB_ASSERT(inserted);
}

// By value: callers pass references into the containers this erases from.
void ChallengeBook::Remove(std::string key) {
  auto it = outstanding_.find(key);
  QB_ASSERT(it != outstanding_.end());
  const uint64_t device_id = it->second.device_id;
  outstanding_by_expiry_.Remove(it->second.expires_ns, key);  // no-op when PopDue took it
  outstanding_.erase(it);
  auto device = outstanding_by_device_.find(device_id);
  QB_ASSERT(device != outstanding_by_device_.end());
  std::vector<std::string>& mine = device->second;
  std::erase(mine, key);
  if (mine.empty()) outstanding_by_device_.erase(device);
}

void ChallengeBook::Remember(const std::string& key, int64_t expires_ns) {
  QB_ASSERT(!outstanding_.contains(key));
  if (used_.size() >= kMaxRememberedNonces) {
    PruneUsed(std::numeric_limits<int64_t>::max(), 1);
  }
  const bool inserted = used_.emplace(key, expires_ns).second;
  QB_ASSERT(inserted);
  used_by_expiry_.Add(expires_ns, key);
}

size_t ChallengeBook::PruneUsed(int64_t now_ns, size_t limit) {
  return used_by_expiry_.PopDue(now_ns, limit,
                                [this](const std::string& due) { used_.erase(due); });
}

void ChallengeBook::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U32(kVersion);
  writer.U64(outstanding_.size());
  for (const auto& [key, challenge] : outstanding_) {
    writer.Bytes(key);
    writer.U64(challenge.device_id);
    writer.U8(static_cast<uint8_t>(challenge.purpose));
    writer.I64(challenge.issued_ns);
    writer.I64(challenge.expires_ns);
    writer.LengthPrefixed(challenge.context);
  }
  writer.U64(used_.size());
  for (const auto& [key, expires_ns] : used_) {
    writer.Bytes(key);
    writer.I64(expires_ns);
  }
}

bool ChallengeBook::Deserialize(std::string_view bytes) {
  Clear();
  ChallengeBook loaded;
  ByteReader reader(bytes);
  if (reader.U32() != kMagic || reader.U32() != kVersion) return false;
  const uint64_t outstanding = reader.U64();
  if (outstanding > kMaxOutstandingChallenges ||
      outstanding > reader.remaining() / kMinChallengeRecordBytes) {
    return false;
  }
  std::string previous;
  for (uint64_t i = 0; i < outstanding; i++) {
    Challenge challenge;
    if (!ReadChallenge(reader, &challenge)) return false;
    std::string key = NonceKey(challenge.nonce);
    if (i > 0 && key <= previous) return false;
    if (loaded.outstanding_count(challenge.device_id) >= kMaxOutstandingPerDevice) return false;
    loaded.Insert(challenge);
    previous = std::move(key);
  }
  const uint64_t used = reader.U64();
  if (!reader.ok() || used > kMaxRememberedNonces || used > reader.remaining() / kUsedRecordBytes) {
    return false;
  }
  for (uint64_t i = 0; i < used; i++) {
    std::string key(reader.Bytes(kChallengeNonceBytes));
    const int64_t expires_ns = reader.I64();
    if (!reader.ok() || (i > 0 && key <= previous) || loaded.outstanding_.contains(key) ||
        expires_ns < kChallengeLifetimeNs) {
      return false;
    }
    loaded.Remember(key, expires_ns);
    previous = std::move(key);
  }
  if (!reader.ok() || reader.remaining() != 0) return false;
  *this = std::move(loaded);
  return true;
}

ChallengeVerdict VerifyChallengeResponse(const DevicePublicKey& key, const Challenge& expected,
                                         std::string_view signature_base64url, int64_t now_ns,
                                         ChallengeBook* book) {
  QB_ASSERT(book != nullptr);
  const std::optional<std::string> signature =
      DecodeBase64UrlExact(signature_base64url, kDeviceSignatureBytes);
  if (!signature) return ChallengeVerdict::kMalformedSignature;
  const std::string nonce_key = NonceKey(expected.nonce);
  auto it = book->outstanding_.find(nonce_key);
  if (it == book->outstanding_.end()) {
    return book->used_.contains(nonce_key) ? ChallengeVerdict::kAlreadyUsed
                                           : ChallengeVerdict::kUnknownChallenge;
  }
  if (it->second != expected) return ChallengeVerdict::kUnknownChallenge;
  // `expected` may be the book's own copy, which Remove destroys: take what is needed first.
  const int64_t expires_ns = expected.expires_ns;
  const std::string message = ChallengeMessage(expected);
  book->Remove(nonce_key);
  if (expires_ns <= now_ns) return ChallengeVerdict::kExpired;
  book->Remember(nonce_key, expires_ns);
  internal::EnsureSodiumInitialized();
  const int verified = crypto_sign_verify_detached(
      reinterpret_cast<const unsigned char*>(signature->data()),
      reinterpret_cast<const unsigned char*>(message.data()), message.size(), key.bytes().data());
  return verified == 0 ? ChallengeVerdict::kOk : ChallengeVerdict::kBadSignature;
}

}  // namespace qb::mfa
