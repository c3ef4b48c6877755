// WebAuthn parsing and verification (webauthn.h). CBOR through libcbor, JSON through
// Boost.JSON, SHA-256 and Ed25519 through libsodium, ES256 through OpenSSL's EVP interface.
#include "mfa/webauthn.h"

#include <cbor.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <boost/json.hpp>
#include <memory>
#include <utility>

#include "mfa/device_key.h"
#include "mfa/sodium_internal.h"

namespace qb::mfa {
namespace {

constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr size_t kFixedAuthDataBytes = 32 + 1 + 4;
constexpr size_t kAaguidBytes = 16;

// COSE labels and values (RFC 9053).
constexpr int64_t kCoseKty = 1;
constexpr int64_t kCoseAlg = 3;
constexpr int64_t kCoseCrv = -1;
constexpr int64_t kCoseX = -2;
constexpr int64_t kCoseY = -3;
constexpr int64_t kKtyOkp = 1;
constexpr int64_t kKtyEc2 = 2;
constexpr int64_t kCrvP256 = 1;
constexpr int64_t kCrvEd25519 = 6;

struct CborDeleter {
  void operator()(cbor_item_t* item) const { cbor_decref(&item); }
};
using CborItem = std::unique_ptr<cbor_item_t, CborDeleter>;

// libcbor allocates an array or map for the length its header declares before it reads the
// items, so 9 bytes declaring 2^32 map entries ask for tens of gigabytes. CborItemFits walks
// the first item first and refuses any length that the bytes left could not hold (each item
// takes at least one byte), nesting deeper than kMaxCborDepth, and indefinite lengths (which
// CTAP2's canonical CBOR never uses). It advances *at past the item.
constexpr int kMaxCborDepth = 16;

bool CborItemFits(std::string_view bytes, size_t* at, int depth) {
  if (depth > kMaxCborDepth || *at >= bytes.size()) return false;
  const auto initial = static_cast<uint8_t>(bytes[(*at)++]);
  const uint8_t major = initial >> 5;
  const uint8_t info = initial & 0x1f;
  uint64_t argument = info;
  if (info >= 24 && info <= 27) {
    const size_t width = size_t{1} << (info - 24);
    if (bytes.size() - *at < width) return false;
    argument = 0;
    for (size_t i = 0; i < width; ++i) {
      argument = (argument << 8) | static_cast<uint8_t>(bytes[(*at)++]);
    }
  } else if (info > 27) {
    return false;  // Reserved, or an indefinite length.
  }
  const uint64_t left = bytes.size() - *at;
  switch (major) {
    case 0:  // Unsigned and negative integers: the argument is the value.
    case 1:
    case 7:  // Simple values and floats: the argument bytes are the value.
      return true;
    case 2:  // Byte and text strings.
    case 3:
      if (argument > left) return false;
      *at += static_cast<size_t>(argument);
      return true;
    case 4:  // Arrays.
    case 5:  // Maps: two items per entry.
      if (argument > left || (major == 5 && argument > left / 2)) return false;
      for (uint64_t i = 0; i < (major == 5 ? 2 * argument : argument); ++i) {
        if (!CborItemFits(bytes, at, depth + 1)) return false;
      }
      return true;
    default:  // 6: a tag and its item.
      return CborItemFits(bytes, at, depth + 1);
  }
}

// The first CBOR item of `bytes` and how many bytes it took; null when malformed.
CborItem LoadCbor(std::string_view bytes, size_t* read) {
  size_t end = 0;
  if (!CborItemFits(bytes, &end, 0)) return nullptr;
  cbor_load_result result{};
  cbor_item_t* item =
      cbor_load(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &result);
  if (item == nullptr || result.error.code != CBOR_ERR_NONE) {
    if (item != nullptr) cbor_decref(&item);
    return nullptr;
  }
  *read = result.read;
  return CborItem(item);
}

// Exactly one CBOR item, nothing after it.
CborItem LoadCborExact(std::string_view bytes) {
  size_t read = 0;
  CborItem item = LoadCbor(bytes, &read);
  if (item == nullptr || read != bytes.size()) return nullptr;
  return item;
}

std::optional<int64_t> CborInt(const cbor_item_t* item) {
  if (!cbor_is_int(item)) return std::nullopt;
  const uint64_t value = cbor_get_int(item);
  if (value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return cbor_isa_uint(item) ? static_cast<int64_t>(value) : -1 - static_cast<int64_t>(value);
}

std::optional<std::string> CborText(const cbor_item_t* item) {
  if (!cbor_isa_string(item) || !cbor_string_is_definite(item)) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(cbor_string_handle(item)),
                     cbor_string_length(item));
}

std::optional<std::string> CborBytes(const cbor_item_t* item) {
  if (!cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(cbor_bytestring_handle(item)),
                     cbor_bytestring_length(item));
}

std::array<uint8_t, 32> Sha256(std::string_view bytes) {
  std::array<uint8_t, 32> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return digest;
}

bool IsOnP256(std::string_view raw) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  if (ctx == nullptr) return false;
  EVP_PKEY* key = nullptr;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("P-256"), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<char*>(raw.data()),
                                        raw.size()),
      OSSL_PARAM_construct_end()};
  bool ok = EVP_PKEY_fromdata_init(ctx) == 1 &&
            EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (ok) {
    EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
    ok = check != nullptr && EVP_PKEY_public_check(check) == 1;
    EVP_PKEY_CTX_free(check);
  }
  EVP_PKEY_free(key);
  return ok;
}

bool VerifyEs256(std::string_view raw, std::string_view message, std::string_view der) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  if (ctx == nullptr) return false;
  EVP_PKEY* key = nullptr;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("P-256"), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<char*>(raw.data()),
                                        raw.size()),
      OSSL_PARAM_construct_end()};
  const bool loaded = EVP_PKEY_fromdata_init(ctx) == 1 &&
                      EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!loaded) {
    EVP_PKEY_free(key);
    return false;
  }
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  // OpenSSL's ECDSA verification insists on strict DER (it re-encodes and compares).
  const bool ok =
      md != nullptr && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  return ok;
}

bool VerifyEd25519(std::string_view raw, std::string_view message, std::string_view signature) {
  if (signature.size() != crypto_sign_BYTES || raw.size() != crypto_sign_PUBLICKEYBYTES) {
    return false;
  }
  internal::EnsureSodiumInitialized();
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(),
                                     reinterpret_cast<const unsigned char*>(raw.data())) == 0;
}

// The client-data and authenticator-data checks shared by registration and assertion, in the
// order of webauthn.h's verdicts.
WebAuthnVerdict CheckCommon(const ClientData& client, const AuthenticatorData& auth,
                            std::string_view type, const WebAuthnExpectation& expected) {
  if (client.type != type) return WebAuthnVerdict::kWrongType;
  if (client.challenge != EncodeBase64Url(expected.challenge)) {
    return WebAuthnVerdict::kWrongChallenge;
  }
  if (client.origin != expected.origin || client.cross_origin) {
    return WebAuthnVerdict::kWrongOrigin;
  }
  if (auth.rp_id_hash != Sha256(expected.rp_id)) return WebAuthnVerdict::kWrongRpId;
  if ((auth.flags & kAuthDataUserPresent) == 0) return WebAuthnVerdict::kUserNotPresent;
  if (expected.require_user_verification && (auth.flags & kAuthDataUserVerified) == 0) {
    return WebAuthnVerdict::kUserNotVerified;
  }
  return WebAuthnVerdict::kOk;
}

}  // namespace

std::string EncodeBase64Url(std::string_view bytes) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kBase64Variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kBase64Variant);
  text.pop_back();  // the encoder's NUL
  return text;
}

std::optional<std::string> DecodeBase64Url(std::string_view text, size_t max_bytes) {
  if (text.size() > sodium_base64_ENCODED_LEN(max_bytes, kBase64Variant) - 1) return std::nullopt;
  std::string bytes(text.size() * 3 / 4 + 1, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, kBase64Variant) != 0 ||
      length > max_bytes) {
    return std::nullopt;
  }
  bytes.resize(length);
  if (EncodeBase64Url(bytes) != text) return std::nullopt;  // one text per value
  return bytes;
}

std::optional<AuthenticatorData> ParseAuthenticatorData(std::string_view bytes) {
  if (bytes.size() < kFixedAuthDataBytes || bytes.size() > kMaxAuthenticatorDataBytes) {
    return std::nullopt;
  }
  AuthenticatorData data;
  std::copy(bytes.begin(), bytes.begin() + 32, data.rp_id_hash.begin());
  data.flags = static_cast<uint8_t>(bytes[32]);
  data.sign_count = (uint32_t{static_cast<uint8_t>(bytes[33])} << 24) |
                    (uint32_t{static_cast<uint8_t>(bytes[34])} << 16) |
                    (uint32_t{static_cast<uint8_t>(bytes[35])} << 8) |
                    uint32_t{static_cast<uint8_t>(bytes[36])};
  std::string_view rest = bytes.substr(kFixedAuthDataBytes);
  if ((data.flags & kAuthDataAttestedCredential) != 0) {
    if (rest.size() < kAaguidBytes + 2) return std::nullopt;
    const size_t id_length = (size_t{static_cast<uint8_t>(rest[kAaguidBytes])} << 8) |
                             size_t{static_cast<uint8_t>(rest[kAaguidBytes + 1])};
    rest.remove_prefix(kAaguidBytes + 2);
    if (id_length == 0 || id_length > kMaxCredentialIdBytes || rest.size() < id_length) {
      return std::nullopt;
    }
    data.credential_id = std::string(rest.substr(0, id_length));
    rest.remove_prefix(id_length);
    size_t read = 0;
    CborItem key = LoadCbor(rest, &read);
    if (key == nullptr || !cbor_isa_map(key.get()) || read > kMaxCoseKeyBytes) return std::nullopt;
    data.cose_key = std::string(rest.substr(0, read));
    rest.remove_prefix(read);
  }
  if ((data.flags & kAuthDataExtensions) != 0) {
    CborItem extensions = LoadCborExact(rest);
    if (extensions == nullptr || !cbor_isa_map(extensions.get())) return std::nullopt;
    rest = {};
  }
  if (!rest.empty()) return std::nullopt;
  return data;
}

std::optional<std::string> AuthenticatorDataOfAttestation(std::string_view attestation_object) {
  if (attestation_object.size() > kMaxAttestationObjectBytes) return std::nullopt;
  CborItem object = LoadCborExact(attestation_object);
  if (object == nullptr || !cbor_isa_map(object.get()) || !cbor_map_is_definite(object.get())) {
    return std::nullopt;
  }
  std::optional<std::string> auth_data;
  bool fmt = false;
  bool statement = false;
  const cbor_pair* pairs = cbor_map_handle(object.get());
  for (size_t i = 0; i < cbor_map_size(object.get()); i++) {
    const std::optional<std::string> name = CborText(pairs[i].key);
    if (!name) return std::nullopt;
    if (*name == "fmt" && !fmt) {
      fmt = CborText(pairs[i].value).has_value();
      if (!fmt) return std::nullopt;
    } else if (*name == "attStmt" && !statement) {
      statement = cbor_isa_map(pairs[i].value);
      if (!statement) return std::nullopt;
    } else if (*name == "authData" && !auth_data) {
      auth_data = CborBytes(pairs[i].value);
      if (!auth_data) return std::nullopt;
    } else {
      return std::nullopt;  // unknown or repeated member
    }
  }
  if (!fmt || !statement || !auth_data) return std::nullopt;
  return auth_data;
}

std::optional<CosePublicKey> ParseCoseKey(std::string_view cbor) {
  if (cbor.size() > kMaxCoseKeyBytes) return std::nullopt;
  CborItem map = LoadCborExact(cbor);
  if (map == nullptr || !cbor_isa_map(map.get()) || !cbor_map_is_definite(map.get())) {
    return std::nullopt;
  }
  std::optional<int64_t> kty, alg, crv;
  std::optional<std::string> x, y;
  const cbor_pair* pairs = cbor_map_handle(map.get());
  for (size_t i = 0; i < cbor_map_size(map.get()); i++) {
    const std::optional<int64_t> label = CborInt(pairs[i].key);
    if (!label) continue;  // text labels are private use: ignored
    const cbor_item_t* value = pairs[i].value;
    auto set_int = [&](std::optional<int64_t>& field) {
      if (field) return false;  // a label twice
      field = CborInt(value);
      return field.has_value();
    };
    auto set_bytes = [&](std::optional<std::string>& field) {
      if (field) return false;
      field = CborBytes(value);
      return field.has_value();
    };
    bool ok = true;
    switch (*label) {
      case kCoseKty:
        ok = set_int(kty);
        break;
      case kCoseAlg:
        ok = set_int(alg);
        break;
      case kCoseCrv:
        ok = set_int(crv);
        break;
      case kCoseX:
        ok = set_bytes(x);
        break;
      case kCoseY:
        ok = set_bytes(y);
        break;
      default:
        break;
    }
    if (!ok) return std::nullopt;
  }
  if (!kty || !alg || !crv || !x) return std::nullopt;
  if (*kty == kKtyEc2 && *alg == kCoseAlgEs256 && *crv == kCrvP256 && x->size() == 32 && y &&
      y->size() == 32) {
    CosePublicKey key{.alg = kCoseAlgEs256, .raw = std::string(1, '\x04') + *x + *y};
    if (!IsOnP256(key.raw)) return std::nullopt;
    return key;
  }
  if (*kty == kKtyOkp && *alg == kCoseAlgEdDsa && *crv == kCrvEd25519 && x->size() == 32 && !y) {
    if (!DevicePublicKey::FromBytes(*x)) return std::nullopt;
    return CosePublicKey{.alg = kCoseAlgEdDsa, .raw = *x};
  }
  return std::nullopt;
}

std::optional<ClientData> ParseClientData(std::string_view json) {
  if (json.size() > kMaxClientDataJsonBytes) return std::nullopt;
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(json, error);
  if (error || !value.is_object()) return std::nullopt;
  const boost::json::object& object = value.as_object();
  ClientData data;
  for (auto [name, field] : {std::pair{"type", &data.type}, std::pair{"challenge", &data.challenge},
                             std::pair{"origin", &data.origin}}) {
    const boost::json::value* member = object.if_contains(name);
    if (member == nullptr || !member->is_string()) return std::nullopt;
    *field = std::string(member->as_string());
  }
  if (const boost::json::value* cross = object.if_contains("crossOrigin"); cross != nullptr) {
    if (!cross->is_bool()) return std::nullopt;
    data.cross_origin = cross->as_bool();
  }
  return data;
}

std::string_view WebAuthnVerdictName(WebAuthnVerdict verdict) {
  switch (verdict) {
    case WebAuthnVerdict::kOk:
      return "ok";
    case WebAuthnVerdict::kMalformed:
      return "malformed";
    case WebAuthnVerdict::kUnsupportedKey:
      return "unsupported_key";
    case WebAuthnVerdict::kWrongType:
      return "wrong_type";
    case WebAuthnVerdict::kWrongChallenge:
      return "wrong_challenge";
    case WebAuthnVerdict::kWrongOrigin:
      return "wrong_origin";
    case WebAuthnVerdict::kWrongRpId:
      return "wrong_rp_id";
    case WebAuthnVerdict::kUserNotPresent:
      return "user_not_present";
    case WebAuthnVerdict::kUserNotVerified:
      return "user_not_verified";
    case WebAuthnVerdict::kBadSignature:
      return "bad_signature";
    case WebAuthnVerdict::kSignCountNotRising:
      return "sign_count_not_rising";
  }
  return "unknown";
}

WebAuthnVerdict VerifyWebAuthnRegistration(std::string_view authenticator_data,
                                           std::string_view client_data_json,
                                           const WebAuthnExpectation& expected,
                                           WebAuthnCredential* credential) {
  const std::optional<AuthenticatorData> auth = ParseAuthenticatorData(authenticator_data);
  const std::optional<ClientData> client = ParseClientData(client_data_json);
  if (!auth || !client) return WebAuthnVerdict::kMalformed;
  if ((auth->flags & kAuthDataAttestedCredential) == 0) return WebAuthnVerdict::kUnsupportedKey;
  const std::optional<CosePublicKey> key = ParseCoseKey(auth->cose_key);
  if (!key) return WebAuthnVerdict::kUnsupportedKey;
  const WebAuthnVerdict verdict = CheckCommon(*client, *auth, "webauthn.create", expected);
  if (verdict != WebAuthnVerdict::kOk) return verdict;
  if (credential != nullptr) {
    *credential = WebAuthnCredential{.credential_id = auth->credential_id,
                                     .cose_key = auth->cose_key,
                                     .alg = key->alg,
                                     .sign_count = auth->sign_count,
                                     .user_verified = (auth->flags & kAuthDataUserVerified) != 0};
  }
  return WebAuthnVerdict::kOk;
}

WebAuthnVerdict VerifyWebAuthnAssertion(std::string_view cose_key, uint32_t stored_sign_count,
                                        std::string_view authenticator_data,
                                        std::string_view client_data_json,
                                        std::string_view signature,
                                        const WebAuthnExpectation& expected,
                                        uint32_t* new_sign_count) {
  const std::optional<AuthenticatorData> auth = ParseAuthenticatorData(authenticator_data);
  const std::optional<ClientData> client = ParseClientData(client_data_json);
  const std::optional<CosePublicKey> key = ParseCoseKey(cose_key);
  // An assertion carries no attested credential.
  if (!auth || !client || !key || (auth->flags & kAuthDataAttestedCredential) != 0 ||
      signature.empty() || signature.size() > kMaxWebAuthnSignatureBytes) {
    return WebAuthnVerdict::kMalformed;
  }
  const WebAuthnVerdict verdict = CheckCommon(*client, *auth, "webauthn.get", expected);
  if (verdict != WebAuthnVerdict::kOk) return verdict;
  const std::array<uint8_t, 32> client_hash = Sha256(client_data_json);
  std::string signed_bytes(authenticator_data);
  signed_bytes.append(reinterpret_cast<const char*>(client_hash.data()), client_hash.size());
  const bool verified = key->alg == kCoseAlgEs256
                            ? VerifyEs256(key->raw, signed_bytes, signature)
                            : VerifyEd25519(key->raw, signed_bytes, signature);
  if (!verified) return WebAuthnVerdict::kBadSignature;
  if ((stored_sign_count != 0 || auth->sign_count != 0) && auth->sign_count <= stored_sign_count) {
    return WebAuthnVerdict::kSignCountNotRising;
  }
  if (new_sign_count != nullptr) *new_sign_count = auth->sign_count;
  return WebAuthnVerdict::kOk;
}

}  // namespace qb::mfa
