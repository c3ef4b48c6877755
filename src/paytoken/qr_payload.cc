#include "paytoken/qr_payload.h"

#include <utility>

#include "base/assert.h"
#include "base/bytes.h"
#include "paytoken/sodium_internal.h"

namespace qb::paytoken {
namespace {

constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr size_t kStaticBodyBytes = 14;
constexpr size_t kMaxBodyBytes = kStaticBodyBytes + 8 + 3 + 8 + 1 + kMaxQrOrderIdBytes;

std::string Base64Url(std::string_view bytes) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kBase64Variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kBase64Variant);
  text.pop_back();  // the encoder's NUL terminator
  return text;
}

// Decodes and insists the text is the canonical encoding of what it decodes to.
std::optional<std::string> DecodeBase64UrlCanonical(std::string_view text, size_t max_bytes) {
  std::string bytes(max_bytes, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, kBase64Variant) != 0) {
    return std::nullopt;
  }
  bytes.resize(length);
  if (Base64Url(bytes) != text) return std::nullopt;
  return bytes;
}

bool IsOrderIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string EncodeBody(const QrPayload& payload, uint32_t key_id) {
  std::string body;
  ByteWriter writer(&body);
  writer.U8(kQrVersion);
  writer.U8(static_cast<uint8_t>(payload.kind));
  writer.U32(key_id);
  writer.U64(payload.merchant_id);
  if (payload.kind == QrKind::kDynamic) {
    writer.I64(payload.amount_fen);
    writer.Bytes(payload.currency);
    writer.I64(payload.expires_at_ns);
    writer.U8(static_cast<uint8_t>(payload.order_id.size()));
    writer.Bytes(payload.order_id);
  }
  QB_ASSERT(body.size() <= kMaxBodyBytes);
  return body;
}

std::string SignedMessage(std::string_view body) {
  std::string message(kQrSignatureContext);
  message.append(body);
  return message;
}

// Structure only; bounds are ValidateQrFields' job once the signature holds.
QrResult DecodeBody(std::string_view body, QrPayload* payload, uint32_t* key_id) {
  ByteReader reader(body);
  uint8_t version = reader.U8();
  uint8_t kind = reader.U8();
  *key_id = reader.U32();
  payload->merchant_id = reader.U64();
  if (!reader.ok()) return QrResult::kMalformed;
  if (version != kQrVersion) return QrResult::kUnsupportedVersion;
  if (kind == static_cast<uint8_t>(QrKind::kStatic)) {
    payload->kind = QrKind::kStatic;
  } else if (kind == static_cast<uint8_t>(QrKind::kDynamic)) {
    payload->kind = QrKind::kDynamic;
    payload->amount_fen = reader.I64();
    payload->currency = std::string(reader.Bytes(3));
    payload->expires_at_ns = reader.I64();
    payload->order_id = std::string(reader.Bytes(reader.U8()));
  } else {
    return QrResult::kMalformed;
  }
  if (!reader.ok() || reader.remaining() != 0) return QrResult::kMalformed;
  return QrResult::kOk;
}

}  // namespace

std::string_view QrResultName(QrResult result) {
  switch (result) {
    case QrResult::kOk:
      return "ok";
    case QrResult::kMalformed:
      return "malformed";
    case QrResult::kUnsupportedVersion:
      return "unsupported_version";
    case QrResult::kUnknownKey:
      return "unknown_key";
    case QrResult::kBadSignature:
      return "bad_signature";
    case QrResult::kInvalidField:
      return "invalid_field";
    case QrResult::kExpired:
      return "expired";
  }
  return "unknown";
}

QrResult ValidateQrFields(const QrPayload& payload) {
  if (payload.merchant_id == 0) return QrResult::kInvalidField;
  if (payload.kind == QrKind::kStatic) {
    bool dynamic_fields_empty = payload.order_id.empty() && payload.amount_fen == 0 &&
                                payload.currency.empty() && payload.expires_at_ns == 0;
    return dynamic_fields_empty ? QrResult::kOk : QrResult::kInvalidField;
  }
  if (payload.kind != QrKind::kDynamic) return QrResult::kInvalidField;
  if (payload.amount_fen < 1 || payload.amount_fen > kMaxQrAmountFen) {
    return QrResult::kInvalidField;
  }
  if (!internal::IsCurrencyCode(payload.currency)) return QrResult::kInvalidField;
  if (payload.expires_at_ns <= 0) return QrResult::kInvalidField;
  if (payload.order_id.empty() || payload.order_id.size() > kMaxQrOrderIdBytes) {
    return QrResult::kInvalidField;
  }
  for (char c : payload.order_id) {
    if (!IsOrderIdChar(c)) return QrResult::kInvalidField;
  }
  return QrResult::kOk;
}

QrSigningKey::QrSigningKey(uint32_t key_id, identity::SecretKey seed)
    : key_id_(key_id), seed_(std::move(seed)) {
  QB_ASSERT(!seed_.empty());
  static_assert(identity::SecretKey::kSize == crypto_sign_SEEDBYTES);
  internal::EnsureSodiumInitialized();
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key_.data(), secret, seed_.data());
  sodium_memzero(secret, sizeof(secret));
}

const QrPublicKey* QrKeyRing::Find(uint32_t key_id) const {
  auto it = keys_.find(key_id);
  return it == keys_.end() ? nullptr : &it->second;
}

QrResult SignQr(const QrPayload& payload, const QrSigningKey& key, std::string* text) {
  if (QrResult valid = ValidateQrFields(payload); valid != QrResult::kOk) return valid;
  std::string body = EncodeBody(payload, key.key_id_);
  std::string message = SignedMessage(body);
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret, key.seed_.data());
  std::string signature(kQrSignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret);
  sodium_memzero(secret, sizeof(secret));
  *text = std::string(kQrScheme) + "1." + Base64Url(body) + "." + Base64Url(signature);
  return QrResult::kOk;
}

QrResult VerifyQr(std::string_view text, const QrKeyRing& keys, int64_t now_ns, QrPayload* payload,
                  uint32_t* key_id) {
  internal::EnsureSodiumInitialized();
  if (text.size() > kMaxQrTextChars || !text.starts_with(kQrScheme)) return QrResult::kMalformed;
  std::string_view rest = text.substr(kQrScheme.size());
  size_t first_dot = rest.find('.');
  if (first_dot == std::string_view::npos) return QrResult::kMalformed;
  std::string_view version = rest.substr(0, first_dot);
  if (version.empty() || !internal::AllAsciiDigits(version)) return QrResult::kMalformed;
  if (version != "1") return QrResult::kUnsupportedVersion;
  rest.remove_prefix(first_dot + 1);
  size_t second_dot = rest.find('.');
  if (second_dot == std::string_view::npos) return QrResult::kMalformed;
  std::optional<std::string> body =
      DecodeBase64UrlCanonical(rest.substr(0, second_dot), kMaxBodyBytes);
  std::optional<std::string> signature =
      DecodeBase64UrlCanonical(rest.substr(second_dot + 1), kQrSignatureBytes);
  if (!body || !signature || signature->size() != kQrSignatureBytes) return QrResult::kMalformed;

  QrPayload decoded;
  uint32_t decoded_key_id = 0;
  if (QrResult framing = DecodeBody(*body, &decoded, &decoded_key_id); framing != QrResult::kOk) {
    return framing;
  }
  const QrPublicKey* public_key = keys.Find(decoded_key_id);
  if (public_key == nullptr) return QrResult::kUnknownKey;
  std::string message = SignedMessage(*body);
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                  reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(), public_key->data()) != 0) {
    return QrResult::kBadSignature;
  }
  if (QrResult valid = ValidateQrFields(decoded); valid != QrResult::kOk) return valid;
  if (decoded.kind == QrKind::kDynamic && now_ns >= decoded.expires_at_ns) {
    return QrResult::kExpired;
  }
  *payload = std::move(decoded);
  if (key_id != nullptr) *key_id = decoded_key_id;
  return QrResult::kOk;
}

}  // namespace qb::paytoken
