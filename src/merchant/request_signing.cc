#include "merchant/request_signing.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "base/assert.h"

namespace qb::merchant {
namespace {

constexpr size_t kMaxTimestampDigits = 12;
// Year 33658: far enough for any clock, small enough that now ± window cannot overflow.
constexpr int64_t kMaxNowSeconds = 999'999'999'999;

// sodium_init() selects the fastest SHA-256 implementation; it is idempotent and thread-safe,
// the static only skips repeat calls.
void EnsureSodiumInitialized() {
  static const bool initialized = [] { return sodium_init() >= 0; }();
  QB_ASSERT(initialized);
}

std::string ToHex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();  // the NUL terminator the encoder writes
  return hex;
}

const unsigned char* AsBytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool IsTokenCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsToken(std::string_view text, size_t min_chars, size_t max_chars) {
  if (text.size() < min_chars || text.size() > max_chars) return false;
  return std::all_of(text.begin(), text.end(), IsTokenCharacter);
}

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Splits off "name=" from the front of `*rest`, up to `separator` (or the end when
// `separator` is 0). Returns the value, or nullopt when the name or the separator is missing.
std::optional<std::string_view> TakeField(std::string_view* rest, std::string_view name,
                                          char separator) {
  if (rest->substr(0, name.size()) != name || rest->substr(name.size(), 1) != "=") {
    return std::nullopt;
  }
  rest->remove_prefix(name.size() + 1);
  if (separator == 0) {
    std::string_view value = *rest;
    rest->remove_prefix(rest->size());
    return value;
  }
  size_t end = rest->find(separator);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view value = rest->substr(0, end);
  rest->remove_prefix(end + 1);
  return value;
}

bool ParseTimestamp(std::string_view text, int64_t* timestamp_s) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return false;
  if (text.size() > 1 && text[0] == '0') return false;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *timestamp_s);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  EnsureSodiumInitialized();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, AsBytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, AsBytes(message), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof(state));
  return ToHex(mac, sizeof(mac));
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string_view, std::string_view>> parameters;
  while (!query.empty()) {
    size_t end = query.find('&');
    std::string_view parameter = query.substr(0, end);
    query.remove_prefix(end == std::string_view::npos ? query.size() : end + 1);
    if (parameter.empty()) continue;
    size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) {
      parameters.emplace_back(parameter, std::string_view());
    } else {
      parameters.emplace_back(parameter.substr(0, equals), parameter.substr(equals + 1));
    }
  }
  std::sort(parameters.begin(), parameters.end());
  std::string canonical;
  for (const auto& [name, value] : parameters) {
    if (!canonical.empty()) canonical += '&';
    canonical.append(name).append("=").append(value);
  }
  return canonical;
}

std::string CanonicalString(const RequestToSign& request, int64_t timestamp_s,
                            std::string_view nonce) {
  QB_ASSERT(timestamp_s >= 0);
  EnsureSodiumInitialized();
  unsigned char body_hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(body_hash, AsBytes(request.body), request.body.size());
  std::string canonical;
  canonical.append(request.method).append("\n");
  canonical.append(request.path).append("\n");
  canonical.append(CanonicalQuery(request.query)).append("\n");
  canonical.append(std::to_string(timestamp_s)).append("\n");
  canonical.append(nonce).append("\n");
  canonical.append(ToHex(body_hash, sizeof(body_hash)));
  return canonical;
}

std::string SignRequest(std::string_view secret, const RequestToSign& request, int64_t timestamp_s,
                        std::string_view nonce) {
  return HmacSha256Hex(secret, CanonicalString(request, timestamp_s, nonce));
}

std::string FormatAuthorizationHeader(const AuthorizationFields& fields) {
  std::string header(kSigningScheme);
  header.append(" key_id=").append(fields.key_id);
  header.append(",timestamp=").append(std::to_string(fields.timestamp_s));
  header.append(",nonce=").append(fields.nonce);
  header.append(",signature=").append(fields.signature_hex);
  return header;
}

std::string_view HeaderParseErrorName(HeaderParseError error) {
  switch (error) {
    case HeaderParseError::kOk:
      return "ok";
    case HeaderParseError::kBadScheme:
      return "bad_scheme";
    case HeaderParseError::kBadStructure:
      return "bad_structure";
    case HeaderParseError::kBadKeyId:
      return "bad_key_id";
    case HeaderParseError::kBadTimestamp:
      return "bad_timestamp";
    case HeaderParseError::kBadNonce:
      return "bad_nonce";
    case HeaderParseError::kBadSignature:
      return "bad_signature";
  }
  return "unknown";
}

HeaderParseError ParseAuthorizationHeader(std::string_view header, AuthorizationFields* fields) {
  if (header.substr(0, kSigningScheme.size()) != kSigningScheme ||
      header.substr(kSigningScheme.size(), 1) != " ") {
    return HeaderParseError::kBadScheme;
  }
  std::string_view rest = header.substr(kSigningScheme.size() + 1);
  std::optional<std::string_view> key_id = TakeField(&rest, "key_id", ',');
  std::optional<std::string_view> timestamp;
  std::optional<std::string_view> nonce;
  std::optional<std::string_view> signature;
  if (key_id) timestamp = TakeField(&rest, "timestamp", ',');
  if (timestamp) nonce = TakeField(&rest, "nonce", ',');
  if (nonce) signature = TakeField(&rest, "signature", 0);
  if (!signature) return HeaderParseError::kBadStructure;

  if (!IsToken(*key_id, 1, kMaxKeyIdChars)) return HeaderParseError::kBadKeyId;
  int64_t timestamp_s = 0;
  if (!ParseTimestamp(*timestamp, &timestamp_s)) return HeaderParseError::kBadTimestamp;
  if (!IsToken(*nonce, 1, kMaxNonceChars)) return HeaderParseError::kBadNonce;
  if (signature->size() != kSignatureHexChars || !IsLowerHex(*signature)) {
    return HeaderParseError::kBadSignature;
  }
  fields->key_id = std::string(*key_id);
  fields->timestamp_s = timestamp_s;
  fields->nonce = std::string(*nonce);
  fields->signature_hex = std::string(*signature);
  return HeaderParseError::kOk;
}

std::string_view VerifyResultName(VerifyResult result) {
  switch (result) {
    case VerifyResult::kOk:
      return "ok";
    case VerifyResult::kBadNonce:
      return "bad_nonce";
    case VerifyResult::kUnknownKey:
      return "unknown_key";
    case VerifyResult::kStaleTimestamp:
      return "stale_timestamp";
    case VerifyResult::kBadSignature:
      return "bad_signature";
    case VerifyResult::kReplayedNonce:
      return "replayed_nonce";
    case VerifyResult::kReplayCacheFull:
      return "replay_cache_full";
  }
  return "unknown";
}

RequestVerifier::RequestVerifier(SecretLookup secret_lookup, size_t max_entries)
    : secret_lookup_(std::move(secret_lookup)), max_entries_(max_entries) {
  QB_ASSERT(secret_lookup_ != nullptr);
  QB_ASSERT(max_entries_ > 0);
}

VerifyResult RequestVerifier::Verify(const RequestToSign& request,
                                     const AuthorizationFields& fields, int64_t now_s) {
  QB_ASSERT(now_s >= 0 && now_s <= kMaxNowSeconds);
  if (!IsToken(fields.nonce, kMinNonceChars, kMaxNonceChars)) return VerifyResult::kBadNonce;
  // A malformed key id is never looked up: it cannot name a key, and keeping ':' out of it
  // keeps the replay cache's joined keys unambiguous.
  if (!IsToken(fields.key_id, 1, kMaxKeyIdChars)) return VerifyResult::kUnknownKey;
  std::optional<std::string> secret = secret_lookup_(fields.key_id);
  if (!secret) return VerifyResult::kUnknownKey;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    now_s = std::max(now_s, latest_now_s_);
  }
  // Written as two one-sided comparisons so that no subtraction can overflow.
  if (fields.timestamp_s < now_s - kSignatureWindowSeconds ||
      fields.timestamp_s > now_s + kSignatureWindowSeconds) {
    return VerifyResult::kStaleTimestamp;
  }
  std::string expected = SignRequest(*secret, request, fields.timestamp_s, fields.nonce);
  sodium_memzero(secret->data(), secret->size());
  if (fields.signature_hex.size() != expected.size() ||
      sodium_memcmp(fields.signature_hex.data(), expected.data(), expected.size()) != 0) {
    return VerifyResult::kBadSignature;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return RememberNonceLocked(fields, now_s);
}

VerifyResult RequestVerifier::RememberNonceLocked(const AuthorizationFields& fields,
                                                  int64_t now_s) {
  latest_now_s_ = std::max(latest_now_s_, now_s);
  // Another thread may have moved time on since the caller's window check and purged this
  // nonce already; checking again against the latest time keeps a purged nonce unacceptable.
  if (fields.timestamp_s + kSignatureWindowSeconds < latest_now_s_) {
    return VerifyResult::kStaleTimestamp;
  }
  PurgeExpiredLocked(latest_now_s_);
  std::string joined = fields.key_id + ":" + fields.nonce;
  if (expiry_by_nonce_.contains(joined)) return VerifyResult::kReplayedNonce;
  if (expiry_by_nonce_.size() >= max_entries_) return VerifyResult::kReplayCacheFull;
  int64_t expiry_s = fields.timestamp_s + kSignatureWindowSeconds;
  expiry_by_nonce_.emplace(joined, expiry_s);
  nonces_by_expiry_.emplace(expiry_s, std::move(joined));
  QB_ASSERT(expiry_by_nonce_.size() == nonces_by_expiry_.size());
  return VerifyResult::kOk;
}

void RequestVerifier::PurgeExpiredLocked(int64_t now_s) {
  // An entry is live while now_s <= expiry; each pass removes only dead entries, so the loop
  // is bounded by the cache size.
  while (!nonces_by_expiry_.empty() && nonces_by_expiry_.begin()->first < now_s) {
    expiry_by_nonce_.erase(nonces_by_expiry_.begin()->second);
    nonces_by_expiry_.erase(nonces_by_expiry_.begin());
  }
}

size_t RequestVerifier::ReplayCacheSize() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return expiry_by_nonce_.size();
}

}  // namespace qb::merchant
