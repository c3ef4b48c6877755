// A software WebAuthn authenticator for tests: a P-256 key pair made by OpenSSL (ES256) or an
// Ed25519 one made by libsodium (EdDSA), which builds real authenticator data, attestation
// objects (CBOR through libcbor, "none" attestation), clientDataJSON and signatures, so the
// tests check the verifier against answers computed here, not hard-coded ones.
#pragma once

#include <cbor.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mfa/webauthn.h"

namespace qb::mfa::testing {

inline std::string Sha256(std::string_view bytes) {
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return digest;
}

// Serializes `item` and drops the caller's reference.
inline std::string Cbor(cbor_item_t* item) {
  unsigned char* buffer = nullptr;
  size_t capacity = 0;
  const size_t length = cbor_serialize_alloc(item, &buffer, &capacity);
  std::string out(reinterpret_cast<const char*>(buffer), length);
  free(buffer);
  cbor_decref(&item);
  return out;
}

inline void MapAdd(cbor_item_t* map, cbor_item_t* key, cbor_item_t* value) {
  cbor_map_add(map, cbor_pair{.key = cbor_move(key), .value = cbor_move(value)});
}

inline cbor_item_t* CborInt(int64_t value) {
  return value >= 0 ? cbor_build_uint64(static_cast<uint64_t>(value))
                    : cbor_build_negint64(static_cast<uint64_t>(-1 - value));
}

inline cbor_item_t* CborBytes(std::string_view bytes) {
  return cbor_build_bytestring(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// {"fmt": "none", "attStmt": {}, "authData": auth_data}
inline std::string AttestationObject(std::string_view auth_data) {
  cbor_item_t* map = cbor_new_definite_map(3);
  MapAdd(map, cbor_build_string("fmt"), cbor_build_string("none"));
  MapAdd(map, cbor_build_string("attStmt"), cbor_new_definite_map(0));
  MapAdd(map, cbor_build_string("authData"), CborBytes(auth_data));
  return Cbor(map);
}

inline std::string ClientDataJson(std::string_view type, std::string_view challenge_bytes,
                                  std::string_view origin, std::string_view extra = "") {
  return "{\"type\":\"" + std::string(type) + "\",\"challenge\":\"" +
         EncodeBase64Url(challenge_bytes) + "\",\"origin\":\"" + std::string(origin) +
         "\",\"crossOrigin\":false" + std::string(extra) + "}";
}

class TestAuthenticator {
 public:
  explicit TestAuthenticator(int32_t alg = kCoseAlgEs256) : alg_(alg) {
    if (sodium_init() < 0) abort();
    unsigned char id[16];
    RAND_bytes(id, sizeof id);
    credential_id_.assign(reinterpret_cast<const char*>(id), sizeof id);
    if (alg == kCoseAlgEs256) {
      key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    } else {
      crypto_sign_keypair(ed_public_, ed_secret_);
    }
  }
  ~TestAuthenticator() { EVP_PKEY_free(key_); }
  TestAuthenticator(const TestAuthenticator&) = delete;
  TestAuthenticator& operator=(const TestAuthenticator&) = delete;

  const std::string& credential_id() const { return credential_id_; }

  // The COSE_Key: EC2 P-256 {1:2, 3:-7, -1:1, -2:x, -3:y} or OKP {1:1, 3:-8, -1:6, -2:x}.
  std::string CoseKey(int64_t alg_label_value = 0) const {
    const int64_t alg = alg_label_value != 0 ? alg_label_value : alg_;
    if (alg_ == kCoseAlgEs256) {
      unsigned char point[65];
      size_t length = 0;
      EVP_PKEY_get_octet_string_param(key_, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
      cbor_item_t* map = cbor_new_definite_map(5);
      MapAdd(map, CborInt(1), CborInt(2));
      MapAdd(map, CborInt(3), CborInt(alg));
      MapAdd(map, CborInt(-1), CborInt(1));
      MapAdd(map, CborInt(-2), CborBytes(std::string_view(reinterpret_cast<char*>(point + 1), 32)));
      MapAdd(map, CborInt(-3),
             CborBytes(std::string_view(reinterpret_cast<char*>(point + 33), 32)));
      return Cbor(map);
    }
    cbor_item_t* map = cbor_new_definite_map(4);
    MapAdd(map, CborInt(1), CborInt(1));
    MapAdd(map, CborInt(3), CborInt(alg));
    MapAdd(map, CborInt(-1), CborInt(6));
    MapAdd(
        map, CborInt(-2),
        CborBytes(std::string_view(reinterpret_cast<const char*>(ed_public_), sizeof ed_public_)));
    return Cbor(map);
  }

  // rpIdHash || flags || signCount (big-endian) [|| aaguid || idLength || id || COSE key].
  std::string AuthData(std::string_view rp_id, uint8_t flags, uint32_t sign_count,
                       std::string_view cose_key = "") const {
    std::string data = Sha256(rp_id);
    data.push_back(static_cast<char>(flags));
    for (int shift = 24; shift >= 0; shift -= 8) {
      data.push_back(static_cast<char>((sign_count >> shift) & 0xff));
    }
    if ((flags & kAuthDataAttestedCredential) != 0) {
      data.append(16, '\0');  // AAGUID: none
      data.push_back(static_cast<char>(credential_id_.size() >> 8));
      data.push_back(static_cast<char>(credential_id_.size() & 0xff));
      data.append(credential_id_);
      data.append(cose_key.empty() ? CoseKey() : std::string(cose_key));
    }
    return data;
  }

  // The signature over authData || SHA-256(clientDataJSON): DER for ES256, 64 bytes for EdDSA.
  std::string Sign(std::string_view auth_data, std::string_view client_data_json) const {
    std::string message(auth_data);
    message.append(Sha256(client_data_json));
    if (alg_ != kCoseAlgEs256) {
      unsigned char signature[crypto_sign_BYTES];
      crypto_sign_detached(signature, nullptr,
                           reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                           ed_secret_);
      return std::string(reinterpret_cast<const char*>(signature), sizeof signature);
    }
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    size_t length = 0;
    EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key_);
    EVP_DigestSign(md, nullptr, &length, reinterpret_cast<const unsigned char*>(message.data()),
                   message.size());
    std::string signature(length, '\0');
    EVP_DigestSign(md, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(message.data()), message.size());
    signature.resize(length);
    EVP_MD_CTX_free(md);
    return signature;
  }

 private:
  int32_t alg_;
  std::string credential_id_;
  EVP_PKEY* key_ = nullptr;
  unsigned char ed_public_[crypto_sign_PUBLICKEYBYTES]{};
  unsigned char ed_secret_[crypto_sign_SECRETKEYBYTES]{};
};

}  // namespace qb::mfa::testing
