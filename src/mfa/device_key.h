// Device binding: the phone holds an Ed25519 private key that its biometric unlocks and that
// never leaves it; the server registers the 32-byte public key and verifies signed challenges.
//
// The flow, with the parts outside the engine marked:
//   1. (I/O thread) NewChallenge draws a 256-bit nonce from the OS CSPRNG and fixes issued_ns
//      and expires_ns = issued_ns + kChallengeLifetimeNs. The challenge travels to the engine
//      inside a command, so replaying the journal issues exactly the same challenge.
//   2. (engine) ChallengeBook::Issue stores it; the nonce, purpose, device id, expiry and
//      context go to the phone.
//   3. (phone) signs ChallengeMessage (below) with crypto_sign_detached / any RFC 8032 Ed25519.
//   4. (engine) VerifyChallengeResponse checks the signature and consumes the challenge.
// Nothing here reads a clock or a random source except NewChallenge, which the engine never
// calls.
//
// The signed message, byte for byte (ASCII, "\n" is 0x0a, nothing after the context, no NUL):
//
//   "qianbao device challenge v1\n"
//   <purpose name>       "\n"   login | payment_confirmation | security_change | device_binding
//   <hex(nonce)>         "\n"   64 lower-case hex digits (32 bytes)
//   <device_id>          "\n"   unsigned decimal, no leading zeros ("0" for zero)
//   <expires_ns>         "\n"   decimal nanoseconds since the Unix epoch (never negative)
//   <hex(context)>              lower-case hex, empty when there is no context
//
// For example, a login challenge for device 42 with nonce bytes 0x00, 0x01, ..., 0x1f, expiring
// at 1700000120000000000 and without context, is these five lines, each ending in "\n", and then
// nothing (the empty hex of the empty context):
//   qianbao device challenge v1
//   login
//   000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
//   42
//   1700000120000000000
// The first line separates these signatures from every other use of an Ed25519 key and carries
// the version; the purpose keeps a login signature from confirming a payment; the context binds
// a payment confirmation to what the customer saw (e.g. payment id and amount), so the phone
// must build the context from the same fields it shows. Every field is either fixed-alphabet or
// hex, so no field can smuggle a "\n" and the encoding is unambiguous.
//
// Keys and signatures travel as base64url without padding (RFC 4648 section 5): 43 characters
// for a key, 86 for a signature. The key is the raw 32-byte RFC 8032 encoding, not an X.509
// SubjectPublicKeyInfo.
//
// Thread-safety: the free functions are thread-safe; a ChallengeBook belongs to the engine's
// single writer (or another single owner) and is not synchronized.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "identity/expiry_index.h"

namespace qb::mfa {

inline constexpr size_t kDevicePublicKeyBytes = 32;
inline constexpr size_t kDeviceSignatureBytes = 64;
inline constexpr size_t kChallengeNonceBytes = 32;  // 256 bits; the policy asks for >= 128
inline constexpr int64_t kChallengeLifetimeNs = 120'000'000'000;  // 2 minutes
// A payment confirmation's context is a few ids and an amount; the cap bounds the book's memory.
inline constexpr size_t kMaxChallengeContextBytes = 128;
inline constexpr std::string_view kChallengeMessagePrefix = "qianbao device challenge v1\n";

// A registered device's Ed25519 public key. Only the factories make one, so every instance is
// a canonical point of the prime-order subgroup (libsodium crypto_core_ed25519_is_valid_point):
// not the identity, not of small order, not with a torsion component, not a non-canonical
// encoding. crypto_sign_verify_detached (libsodium 1.0.18, without ED25519_COMPAT) already
// refuses non-canonical and small-order keys, small-order R and non-canonical S; the subgroup
// check is what only registration adds, so a key that several signatures could verify under
// is never stored.
class DevicePublicKey {
 public:
  // nullopt for text that is not canonical unpadded base64url of exactly 32 bytes, or bytes
  // that are not a valid point as above.
  static std::optional<DevicePublicKey> FromBase64Url(std::string_view text);
  static std::optional<DevicePublicKey> FromBytes(std::string_view bytes);

  std::string ToBase64Url() const;
  const std::array<uint8_t, kDevicePublicKeyBytes>& bytes() const { return bytes_; }
  bool operator==(const DevicePublicKey&) const = default;

 private:
  DevicePublicKey() = default;
  std::array<uint8_t, kDevicePublicKeyBytes> bytes_{};
};

// What a signature authorizes. The values are persisted (ChallengeBook serialization); the
// names are signed. Append only.
enum class ChallengePurpose : uint8_t {
  kLogin = 1,
  kPaymentConfirmation = 2,
  kSecurityChange = 3,  // payment PIN, phone number, TOTP or another device bound or removed
  kDeviceBinding = 4,   // proof of possession when a new key is registered
};
inline constexpr uint8_t kMaxChallengePurpose = 4;

// "login", "payment_confirmation", "security_change", "device_binding".
std::string_view ChallengePurposeName(ChallengePurpose purpose);
std::optional<ChallengePurpose> ParseChallengePurpose(std::string_view name);

using ChallengeNonce = std::array<uint8_t, kChallengeNonceBytes>;

struct Challenge {
  ChallengeNonce nonce{};
  uint64_t device_id = 0;
  ChallengePurpose purpose = ChallengePurpose::kLogin;
  int64_t issued_ns = 0;
  int64_t expires_ns = 0;  // issued_ns + kChallengeLifetimeNs; refused once now_ns >= this
  std::string context;     // raw bytes, at most kMaxChallengeContextBytes

  bool operator==(const Challenge&) const = default;
};

// For the I/O thread, never the engine: the nonce comes from randombytes_buf. now_ns >= 0 and
// context.size() <= kMaxChallengeContextBytes (asserted: the server builds both).
Challenge NewChallenge(uint64_t device_id, ChallengePurpose purpose, int64_t now_ns,
                       std::string_view context);
// The same with the nonce given: for tests, and for rebuilding a challenge from a command.
Challenge MakeChallenge(const ChallengeNonce& nonce, uint64_t device_id, ChallengePurpose purpose,
                        int64_t now_ns, std::string_view context);

// The bytes the phone signs (the grammar above).
std::string ChallengeMessage(const Challenge& challenge);

// Ordered by precedence: VerifyChallengeResponse reports the first that applies.
enum class ChallengeVerdict : uint8_t {
  kOk = 0,
  kMalformedSignature,  // Not canonical base64url of 64 bytes. Nothing consumed.
  kUnknownChallenge,    // Not outstanding (never issued, evicted, or long gone), or outstanding
                        // with other fields than the caller expects. Nothing consumed.
  kAlreadyUsed,         // Consumed before (a replay). The book remembers consumed nonces until
                        // they expire; a later replay reads as kUnknownChallenge.
  kExpired,             // expires_ns <= now_ns. The challenge is dropped.
  kBadSignature,        // Not a signature of ChallengeMessage by this key. Consumed: one try.
};

// Stable names for API error codes and the audit log ("bad_signature", ...).
std::string_view ChallengeVerdictName(ChallengeVerdict verdict);

enum class IssueResult : uint8_t {
  kOk = 0,
  kDuplicateNonce,  // The nonce is outstanding or remembered as used: a replayed command or a
                    // broken random source. Nothing changes.
  kFull,            // kMaxOutstandingChallenges live challenges: answer 503, try later.
};

// The challenges the engine has issued and not yet settled, keyed by nonce, plus the nonces
// consumed recently (to name replays). Bounds, so memory never grows with traffic:
//   - per device at most kMaxOutstandingPerDevice: a new challenge evicts that device's oldest
//     (earliest issued_ns, then smallest nonce). A customer who asks again has given up on the
//     old one, and one device cannot crowd out the others.
//   - overall at most kMaxOutstandingChallenges: Issue first drops expired challenges (earliest
//     expiry first); if none has expired it refuses with kFull rather than evict another
//     customer's live challenge.
//   - consumed nonces: at most kMaxRememberedNonces, each kept only until its expires_ns; when
//     full the earliest-expiring is forgotten (a replay of it then reads kUnknownChallenge,
//     still refused).
// Issue also drops up to kPruneBatch expired entries of each kind per call, so expired entries
// never pile up while challenges are being issued; PruneExpired lets the engine do more on a
// tick. Worst case ~ kMaxOutstandingChallenges * (kMaxChallengeContextBytes + ~200) bytes.
class ChallengeBook {
 public:
  static constexpr size_t kMaxOutstandingPerDevice = 8;
  static constexpr size_t kMaxOutstandingChallenges = 131'072;
  static constexpr size_t kMaxRememberedNonces = 131'072;
  static constexpr size_t kPruneBatch = 16;

  // Stores `challenge`, using its issued_ns as the current time for pruning. The challenge must
  // be well formed (purpose in range, expires_ns == issued_ns + kChallengeLifetimeNs, context
  // within bounds): asserted, since the server builds it.
  IssueResult Issue(const Challenge& challenge);

  // Null when `nonce` is not outstanding. The pointer lives until the book next changes.
  const Challenge* FindOutstanding(const ChallengeNonce& nonce) const;
  bool WasUsed(const ChallengeNonce& nonce) const;

  // Settles `expected` without a signature check, for keys whose proof is checked elsewhere
  // (WebAuthn: webauthn.h). The same rules as VerifyChallengeResponse: kUnknownChallenge (also
  // when the book's copy differs from `expected`) and kAlreadyUsed consume nothing; kExpired
  // drops it; kOk consumes it and remembers the nonce, so the caller's check is its one try.
  ChallengeVerdict Consume(const Challenge& expected, int64_t now_ns);

  // Drops up to `limit` expired outstanding challenges and up to `limit` remembered nonces
  // whose expiry has passed (expires_ns <= now_ns), earliest first; returns how many in all.
  size_t PruneExpired(int64_t now_ns, size_t limit);

  size_t outstanding_count() const { return outstanding_.size(); }
  size_t outstanding_count(uint64_t device_id) const;
  size_t remembered_count() const { return used_.size(); }
  void Clear();

  // book      := magic:u32 ("QBDC") version:u32 (1)
  //              outstanding_count:u64 challenge*   (ascending nonce bytes)
  //              used_count:u64 (nonce:32 bytes expires_ns:i64)*   (ascending nonce bytes)
  // challenge := nonce:32 bytes device_id:u64 purpose:u8 issued_ns:i64 expires_ns:i64
  //              context_length:u32 context
  // Integers little-endian. Equal books give equal bytes. Deserialize refuses (returns false
  // and leaves the book empty) anything Issue could not have produced: unknown version or
  // purpose, wrong lifetime, long context, unsorted or repeated nonces, a nonce both
  // outstanding and used, bounds exceeded, trailing bytes.
  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  friend ChallengeVerdict VerifyChallengeResponse(const DevicePublicKey& key,
                                                  const Challenge& expected,
                                                  std::string_view signature_base64url,
                                                  int64_t now_ns, ChallengeBook* book);

  void Insert(const Challenge& challenge);
  void Remove(std::string key);  // an outstanding challenge, with its index entries
  void Remember(const std::string& key, int64_t expires_ns);
  size_t PruneUsed(int64_t now_ns, size_t limit);

  // Keys are the 32 nonce bytes as a string; std::map keeps them sorted for Serialize.
  std::map<std::string, Challenge> outstanding_;
  identity::ExpiryIndex outstanding_by_expiry_;
  std::unordered_map<uint64_t, std::vector<std::string>> outstanding_by_device_;
  std::map<std::string, int64_t> used_;  // nonce → expires_ns
  identity::ExpiryIndex used_by_expiry_;
};

// Checks a response to `expected` and settles the challenge in `book`:
//   - `expected` is the challenge the caller is about to act on (usually *FindOutstanding of
//     the nonce the client names, after checking its device and purpose against the session).
//     The book's copy must equal it field for field; a response for another device, purpose,
//     context or nonce is kUnknownChallenge and consumes nothing, so a client who learns a
//     nonce cannot burn someone else's challenge with it.
//   - `key` must be the key registered for expected.device_id; the caller looks it up.
//   - on kOk and kBadSignature the challenge is consumed before the signature is checked: it
//     gets exactly one try. The caller counts kBadSignature towards the device's lockout and
//     writes it to the audit log.
// Deterministic: the result depends only on the arguments and the book.
ChallengeVerdict VerifyChallengeResponse(const DevicePublicKey& key, const Challenge& expected,
                                         std::string_view signature_base64url, int64_t now_ns,
                                         ChallengeBook* book);

}  // namespace qb::mfa
