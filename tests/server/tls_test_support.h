// Test-only TLS material: an EC P-256 key and a self-signed certificate for 127.0.0.1, made
// with OpenSSL's C API at test time and written to a temporary directory that is removed again.
// No key material is ever committed.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace qb::test_support {

class TlsFiles {
 public:
  // Writes cert.pem (certificate for IP 127.0.0.1) and key.pem (its key) and other_key.pem (a
  // key of another pair) under a fresh temporary directory. ok() says whether it worked.
  TlsFiles() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("qb_tls_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    EVP_PKEY* other = EVP_EC_gen("P-256");
    X509* certificate = key != nullptr ? SelfSigned(key) : nullptr;
    ok_ = other != nullptr && certificate != nullptr && WriteKey(key, key_path()) &&
          WriteKey(other, other_key_path()) && WriteCertificate(certificate, cert_path());
    X509_free(certificate);
    EVP_PKEY_free(other);
    EVP_PKEY_free(key);
  }
  ~TlsFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TlsFiles(const TlsFiles&) = delete;
  TlsFiles& operator=(const TlsFiles&) = delete;

  bool ok() const { return ok_; }
  std::string cert_path() const { return (dir_ / "cert.pem").string(); }
  std::string key_path() const { return (dir_ / "key.pem").string(); }
  std::string other_key_path() const { return (dir_ / "other_key.pem").string(); }
  std::string missing_path() const { return (dir_ / "missing.pem").string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  static X509* SelfSigned(EVP_PKEY* key) {
    X509* certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -60);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 24 * 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1");
    const bool added = san != nullptr && X509_add_ext(certificate, san, -1) == 1;
    X509_EXTENSION_free(san);
    if (!added || X509_sign(certificate, key, EVP_sha256()) == 0) {
      X509_free(certificate);
      return nullptr;
    }
    return certificate;
  }

  static bool WriteKey(EVP_PKEY* key, const std::string& path) {
    BIO* out = BIO_new_file(path.c_str(), "w");
    if (out == nullptr) return false;
    chmod(path.c_str(), 0600);
    const bool written =
        PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    BIO_free(out);
    return written;
  }

  static bool WriteCertificate(X509* certificate, const std::string& path) {
    BIO* out = BIO_new_file(path.c_str(), "w");
    if (out == nullptr) return false;
    const bool written = PEM_write_bio_X509(out, certificate) == 1;
    BIO_free(out);
    return written;
  }

  std::filesystem::path dir_;
  bool ok_ = false;
};

}  // namespace qb::test_support
