// A phone in the tests: an Ed25519 key pair (libsodium's crypto_sign_*) that signs the bytes a
// device-key challenge's "message" carries, with base64url as the API speaks it.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <string_view>

#include "api_test_util.h"

namespace qb::wallet::testing {

inline constexpr int kBase64UrlVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

inline std::string Base64Url(const unsigned char* bytes, size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, kBase64UrlVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size, kBase64UrlVariant);
  text.pop_back();
  return text;
}

inline std::string FromBase64Url(std::string_view text) {
  std::string bytes(text.size(), '\0');
  size_t length = 0;
  EXPECT_EQ(
      sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, kBase64UrlVariant),
      0);
  bytes.resize(length);
  return bytes;
}

struct SigningPhone {
  SigningPhone() {
    EXPECT_GE(sodium_init(), 0);
    crypto_sign_keypair(public_key, secret_key);
  }
  std::string PublicKey() const { return Base64Url(public_key, sizeof public_key); }
  // Signs the bytes a challenge's "message" carries.
  std::string Sign(const ApiResponse& challenge) const {
    const std::string message = FromBase64Url(challenge.String("message"));
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret_key);
    return Base64Url(signature, sizeof signature);
  }
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
};

}  // namespace qb::wallet::testing
