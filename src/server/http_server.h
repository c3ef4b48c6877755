// An HTTP/1.1 server (Boost.Beast underneath, kept out of this header) that hands each request
// to one handler and writes whatever the handler answers, whenever it answers.
//
// Connections are kept alive; a connection reads its next request only after the response to
// the previous one is written, so responses on a connection are always in order. Every socket
// operation has a timeout, and a request whose body exceeds max_body_bytes is answered 413.
//
// Given a certificate chain and its private key, the server speaks HTTPS only (TLS 1.2 and 1.3,
// ECDHE key exchange with AEAD ciphers, no compression, no renegotiation); a client that does
// not complete a TLS handshake within the idle timeout is dropped. Without them it speaks plain
// HTTP, on a path that pays nothing for TLS. Either way every response carries the security
// headers and state-changing console requests from other sites are refused (web_security.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qb {

namespace metrics {
class Registry;
}

struct HttpRequest {
  std::string method;  // As sent, e.g. "GET".
  std::string target;  // The path and the query string, e.g. "/api/v1/payments?limit=10".
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string remote_address;  // The peer's IP address, without the port.
  // Filled by the Router from a pattern's "{name}" segments, e.g. {"card_id", "3"}.
  std::vector<std::pair<std::string, std::string>> path_params;

  // The first header of that name, compared case-insensitively, or "" when there is none.
  std::string_view Header(std::string_view name) const;
  // The target without its query string.
  std::string_view Path() const;
  // The value of a "{name}" path segment the router matched, or "" when there is none.
  std::string_view PathParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Besides Content-Type/-Length.
};

// A response with body {"error":{"code":"<code>","message":"<message>"}}, as every error of
// the API looks.
HttpResponse JsonErrorResponse(int status, std::string_view code, std::string_view message);

// Sends the response to a request. Call it exactly once, from any thread, now or later: the
// write is posted back onto the connection's own strand (or done at once when called from
// inside the handler), and a second call fails an assertion. Calling it after the server has
// stopped, or after the handler timeout answered for it, does nothing. If every copy is destroyed
// without a call, the client gets a 500.
using Responder = std::function<void(HttpResponse)>;

// Called on an I/O thread for every request. It must not block: work that takes time goes
// elsewhere (the engine) with the Responder, which answers from there. An exception thrown
// before the Responder is called is answered with a 500.
using HttpHandler = std::function<void(HttpRequest&&, Responder)>;

struct HttpServerOptions {
  std::string listen_address = "127.0.0.1";  // Numeric IPv4 or IPv6.
  uint16_t listen_port = 8080;               // 0 picks a free port; see HttpServer::port().
  uint32_t io_threads = 1;
  uint64_t max_body_bytes = 65536;
  // How long a connection may sit between requests, and how long one read or write may take.
  uint32_t idle_timeout_ms = 30000;
  // How long a handler may take to answer before the client gets 503 TIMEOUT instead (a late
  // answer is then dropped).
  uint32_t handler_timeout_ms = 30000;
  // HTTPS: PEM files holding the certificate chain (the server's certificate first) and the
  // private key that matches it. Both empty: plain HTTP. Start() fails if only one is given, a
  // file cannot be read or parsed, or the key does not match the certificate.
  std::string tls_certificate_chain_file;
  std::string tls_private_key_file;
  // Plain HTTP here, but browsers reach the server over HTTPS at a proxy in front: responses
  // still carry Strict-Transport-Security. Ignored when the server speaks TLS itself.
  bool tls_terminated_by_proxy = false;
  // Receives http_requests_total{status}, http_request_duration_seconds and connection
  // counts. Optional; not owned, and must outlive the server.
  metrics::Registry* metrics = nullptr;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  // Stops the server if it is running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS certificate and key when given, binds, listens and starts the I/O threads.
  // Returns an empty string on success, else why it could not (a TLS file missing or not
  // matching, address in use, bad address, ...). Call at most once.
  std::string Start();

  // The port actually bound, which differs from the option when it was 0. Valid after a
  // successful Start().
  uint16_t port() const;

  // True when the server speaks HTTPS. Valid after a successful Start().
  bool tls() const;

  // Stops accepting, abandons open connections and joins the I/O threads. Requests still with
  // a handler get no answer. Idempotent; called by the destructor.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qb
