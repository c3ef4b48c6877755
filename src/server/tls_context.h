// The TLS settings of qianbaod's HTTPS listener, applied to an OpenSSL server context.
//
// Protocols: TLS 1.2 and 1.3 only. TLS 1.2 cipher suites: ECDHE key exchange with AES-GCM or
// ChaCha20-Poly1305 only (forward secrecy, AEAD), the server's order preferred; TLS 1.3 keeps
// OpenSSL's suites, all of which qualify. Key-exchange groups: X25519, P-256, P-384. No
// compression (CRIME), no renegotiation, no session tickets (their key would outlive the
// connections' forward secrecy).
//
// Keys: one PEM file with the certificate chain, the server's certificate first, and one PEM
// file with the private key, which must be unencrypted (a passphrase prompt would hang a daemon)
// and must match the certificate. Key files should be readable by the server's user only.
#pragma once

#include <openssl/types.h>

#include <string>

namespace qb {

// Applies the settings above to `context` and loads the two files. Returns "" on success, or a
// message naming the file at fault and OpenSSL's reason: missing, unreadable, not PEM, an
// encrypted key, or a key that does not belong to the certificate.
std::string ConfigureTlsServerContext(SSL_CTX* context, const std::string& certificate_chain_file,
                                      const std::string& private_key_file);

// The same checks on a throw-away context, so that qianbaod can refuse a bad certificate or key
// before it opens the store and replays the journal.
std::string CheckTlsFiles(const std::string& certificate_chain_file,
                          const std::string& private_key_file);

}  // namespace qb
