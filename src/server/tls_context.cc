#include "server/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace qb {
namespace {

// Mozilla's "intermediate" TLS 1.2 list: ECDHE only, AEAD only.
constexpr const char* kTls12CipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The oldest error OpenSSL queued (the root cause), then the queue emptied.
std::string OpenSslReason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

// Opened here first so that a missing or unreadable file gets the system's plain reason rather
// than OpenSSL's.
std::string CheckReadable(const std::string& what, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return what + " \"" + path + "\" cannot be read: " + std::strerror(errno);
  return "";
}

// Refuses to ask for a passphrase: a daemon has nobody to answer.
int NoPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

std::string ConfigureTlsServerContext(SSL_CTX* context, const std::string& certificate_chain_file,
                                      const std::string& private_key_file) {
  ERR_clear_error();
  if (std::string error = CheckReadable("TLS certificate file", certificate_chain_file);
      !error.empty()) {
    return error;
  }
  if (std::string error = CheckReadable("TLS private key file", private_key_file); !error.empty()) {
    return error;
  }
  if (SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(context, kTls12CipherList) != 1 ||
      SSL_CTX_set1_groups_list(context, kGroups) != 1) {
    return "cannot apply the TLS settings: " + OpenSslReason();
  }
  SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                   SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  SSL_CTX_set_default_passwd_cb(context, NoPassphrase);
  if (SSL_CTX_use_certificate_chain_file(context, certificate_chain_file.c_str()) != 1) {
    return "TLS certificate file \"" + certificate_chain_file +
           "\" holds no usable PEM certificate chain: " + OpenSslReason();
  }
  if (SSL_CTX_use_PrivateKey_file(context, private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return "TLS private key file \"" + private_key_file +
           "\" holds no usable unencrypted PEM private key matching the certificate: " +
           OpenSslReason();
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    return "TLS private key file \"" + private_key_file +
           "\" does not match the certificate in \"" + certificate_chain_file +
           "\": " + OpenSslReason();
  }
  return "";
}

std::string CheckTlsFiles(const std::string& certificate_chain_file,
                          const std::string& private_key_file) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return "cannot create a TLS context: " + OpenSslReason();
  std::string error = ConfigureTlsServerContext(context, certificate_chain_file, private_key_file);
  SSL_CTX_free(context);
  return error;
}

}  // namespace qb
