// WebAuthn (Level 2) device keys: the second kind of key in the device-key book (issue 5). A
// browser's platform authenticator (fingerprint / face) or a security key makes the key pair in
// navigator.credentials.create() and signs in navigator.credentials.get(); the private key never
// reaches script. The server's challenge nonce is the WebAuthn `challenge`.
//
// What is checked (W3C WebAuthn Level 2, sections 7.1 and 7.2):
//   registration: clientDataJSON {type "webauthn.create", challenge = base64url(nonce), origin
//     = the expected origin, crossOrigin not true}; authenticatorData's rpIdHash = SHA-256(rp
//     id), UP set, attested credential data present (credential id of 1..1023 bytes and a COSE
//     key: ES256 (-7, EC2 P-256) or EdDSA (-8, OKP Ed25519); any other algorithm is refused),
//     nothing after it but a well-formed extensions map when ED is set. Attestation is "none":
//     the attestation statement is not verified (we do not restrict which authenticator models
//     may be used), which docs/SECURITY.md explains.
//   assertion: clientDataJSON {type "webauthn.get", challenge, origin, crossOrigin not true};
//     rpIdHash; UP; UV when the caller requires it (payment confirmation, security changes);
//     the signature over authenticatorData || SHA-256(clientDataJSON) (ES256: DER, verified
//     with OpenSSL; EdDSA: 64 bytes, libsodium); then the signature counter, which must rise
//     strictly when either the stored or the new value is non-zero (else a cloned
//     authenticator may be in use: kSignCountNotRising).
//
// Everything here is pure and deterministic (no clock, no randomness): the engine calls it.
// Parsing is bounded: inputs longer than the k*Max constants are refused before any parsing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qb::mfa {

inline constexpr int32_t kCoseAlgEs256 = -7;
inline constexpr int32_t kCoseAlgEdDsa = -8;
inline constexpr size_t kMaxCredentialIdBytes = 1023;  // WebAuthn's own bound
inline constexpr size_t kMaxCoseKeyBytes = 256;
inline constexpr size_t kMaxAuthenticatorDataBytes = 2048;
inline constexpr size_t kMaxClientDataJsonBytes = 2048;
inline constexpr size_t kMaxAttestationObjectBytes = 4096;
inline constexpr size_t kMaxWebAuthnSignatureBytes = 80;  // ES256 DER <= 72, EdDSA 64

inline constexpr uint8_t kAuthDataUserPresent = 0x01;
inline constexpr uint8_t kAuthDataUserVerified = 0x04;
inline constexpr uint8_t kAuthDataAttestedCredential = 0x40;
inline constexpr uint8_t kAuthDataExtensions = 0x80;

struct AuthenticatorData {
  std::array<uint8_t, 32> rp_id_hash{};
  uint8_t flags = 0;
  uint32_t sign_count = 0;
  // With kAuthDataAttestedCredential only (registration):
  std::string credential_id;
  std::string cose_key;  // the COSE_Key's exact CBOR bytes
};

// nullopt for anything that is not well-formed authenticator data (section 6.1).
std::optional<AuthenticatorData> ParseAuthenticatorData(std::string_view bytes);

// The authData of a CBOR attestation object {"fmt": text, "attStmt": map, "authData": bytes};
// the statement is not verified ("none" attestation). nullopt when malformed.
std::optional<std::string> AuthenticatorDataOfAttestation(std::string_view attestation_object);

// A COSE public key of a supported algorithm: ES256 `raw` is the 65-byte uncompressed point
// 04||x||y (on the curve), EdDSA `raw` the 32-byte Ed25519 key (a valid point).
struct CosePublicKey {
  int32_t alg = 0;
  std::string raw;
};
std::optional<CosePublicKey> ParseCoseKey(std::string_view cbor);

struct ClientData {
  std::string type;
  std::string challenge;
  std::string origin;
  bool cross_origin = false;
};
// nullopt unless a JSON object with string type, challenge and origin (crossOrigin a boolean
// when present).
std::optional<ClientData> ParseClientData(std::string_view json);

// Ordered by the order of the checks.
enum class WebAuthnVerdict : uint8_t {
  kOk = 0,
  kMalformed,           // authenticatorData, clientDataJSON, signature or COSE key unparsable
  kUnsupportedKey,      // registration: no attested credential, or not ES256 / EdDSA
  kWrongType,           // clientData.type
  kWrongChallenge,      // clientData.challenge is not base64url(nonce)
  kWrongOrigin,         // clientData.origin, or crossOrigin true
  kWrongRpId,           // rpIdHash
  kUserNotPresent,      // UP clear
  kUserNotVerified,     // UV clear where required
  kBadSignature,        // assertion signature
  kSignCountNotRising,  // possible clone
};
std::string_view WebAuthnVerdictName(WebAuthnVerdict verdict);

struct WebAuthnExpectation {
  std::string_view challenge;  // the raw nonce bytes the server issued
  std::string_view rp_id;      // e.g. "wallet.example.cn"
  std::string_view origin;     // e.g. "https://wallet.example.cn"
  bool require_user_verification = false;
};

// What registration keeps.
struct WebAuthnCredential {
  std::string credential_id;
  std::string cose_key;  // CBOR, as the authenticator sent it
  int32_t alg = 0;
  uint32_t sign_count = 0;
  bool user_verified = false;
};

// `authenticator_data` is the attestation object's authData.
WebAuthnVerdict VerifyWebAuthnRegistration(std::string_view authenticator_data,
                                           std::string_view client_data_json,
                                           const WebAuthnExpectation& expected,
                                           WebAuthnCredential* credential);

// `cose_key` is a registered credential's key, `signature` the raw signature bytes. On kOk,
// *new_sign_count is the authenticator's counter to store.
WebAuthnVerdict VerifyWebAuthnAssertion(std::string_view cose_key, uint32_t stored_sign_count,
                                        std::string_view authenticator_data,
                                        std::string_view client_data_json,
                                        std::string_view signature,
                                        const WebAuthnExpectation& expected,
                                        uint32_t* new_sign_count);

// Canonical unpadded base64url (RFC 4648 section 5) of at most `max_bytes` bytes; nullopt
// otherwise (also for padding, other alphabets or non-zero unused bits).
std::optional<std::string> DecodeBase64Url(std::string_view text, size_t max_bytes);
std::string EncodeBase64Url(std::string_view bytes);

}  // namespace qb::mfa
