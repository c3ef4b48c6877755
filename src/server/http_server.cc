// The listener and the per-connection sessions, after Beast's async HTTP server example: one
// Session object per connection, living on its own strand, with a timeout on every socket
// operation.
//
// Lifetimes. A session is kept alive by whatever asynchronous operation it has pending: a
// read, a write, or, while a handler works on a request, the handler timer. A Responder holds
// only a weak reference to its session plus the shared ReplyGate. Called from inside the
// handler, it writes inline; called later, from anywhere, it posts its answer to the session's
// strand under the gate's mutex. Stop() closes the gate under that mutex before the io_context
// is stopped and destroyed, so a late Responder can never touch a dead io_context.
//
// TLS. Session is a template over its stream: beast::tcp_stream for plain HTTP, and
// beast::ssl_stream over it for HTTPS, which adds a handshake before the first read and a TLS
// shutdown before the close. The listener picks one per server, so the plain path compiles to
// what it was before TLS existed.
#include "server/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "base/assert.h"
#include "base/metrics.h"
#include "server/log.h"
#include "server/tls_context.h"
#include "server/web_security.h"

namespace qb {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Large enough for any header our clients send (a bearer token, cookies), small enough that a
// flood of header bytes is refused early.
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;
// After a failed accept (out of file descriptors, most likely) the listener waits this long
// rather than spinning.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

struct ReplyGate {
  std::mutex mutex;
  bool stopped = false;
};

// Metrics updated by every response. The per-status counters are looked up in the registry
// once and then cached, so the request path takes no lock.
class HttpMetrics {
 public:
  explicit HttpMetrics(metrics::Registry* registry) : registry_(registry) {
    if (registry_ == nullptr) return;
    duration_ = &registry_->GetHistogram("http_request_duration_seconds",
                                         "Time from a request read to its response written out.",
                                         metrics::LatencyBoundsSeconds());
    connections_open_ = &registry_->GetGauge("http_connections_open", "Connections open now.");
    connections_total_ =
        &registry_->GetCounter("http_connections_total", "Connections accepted since start.");
  }

  void ConnectionOpened() {
    if (registry_ == nullptr) return;
    connections_open_->Add(1);
    connections_total_->Add();
  }
  void ConnectionClosed() {
    if (registry_ != nullptr) connections_open_->Add(-1);
  }

  void CountResponse(int status, Clock::duration elapsed) {
    if (registry_ == nullptr) return;
    std::atomic<metrics::Counter*>& slot = by_status_[static_cast<size_t>(status)];
    metrics::Counter* counter = slot.load(std::memory_order_acquire);
    if (counter == nullptr) {
      counter = &registry_->GetCounter("http_requests_total", "HTTP requests answered, by status.",
                                       {{"status", std::to_string(status)}});
      slot.store(counter, std::memory_order_release);
    }
    counter->Add();
    duration_->Observe(std::chrono::duration<double>(elapsed).count());
  }

 private:
  metrics::Registry* registry_;
  metrics::Histogram* duration_ = nullptr;
  metrics::Gauge* connections_open_ = nullptr;
  metrics::Counter* connections_total_ = nullptr;
  std::array<std::atomic<metrics::Counter*>, 600> by_status_{};
};

// What every session shares with the server. It lives in HttpServer::Impl, declared before
// the io_context so that it outlives every session the io_context destroys.
struct ServerContext {
  ServerContext(HttpServerOptions server_options, HttpHandler request_handler)
      : options(std::move(server_options)),
        handler(std::move(request_handler)),
        metrics(options.metrics) {}

  HttpServerOptions options;
  HttpHandler handler;
  std::shared_ptr<ReplyGate> gate = std::make_shared<ReplyGate>();
  HttpMetrics metrics;
  std::optional<asio::ssl::context> tls;  // Set by Start() when the server speaks HTTPS.
  bool strict_transport_security = false;
};

bool IsHttpParseError(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category();
}

Strand StrandOf(tcp::socket& socket) {
  const Strand* strand = socket.get_executor().target<Strand>();
  QB_ASSERT(strand != nullptr);
  return *strand;
}

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `tls` is the server's ssl::context for an HTTPS session, and nothing for a plain one.
  template <class... TlsContext>
  Session(tcp::socket&& socket, ServerContext& context, TlsContext&... tls)
      : context_(context),
        strand_(StrandOf(socket)),
        stream_(std::move(socket), tls...),
        handler_timer_(strand_) {
    beast::error_code ec;
    remote_address_ = Tcp().socket().remote_endpoint(ec).address().to_string();
    // Without it, Nagle's algorithm and delayed acknowledgements hold small keep-alive
    // responses back for tens of milliseconds.
    Tcp().socket().set_option(tcp::no_delay(true), ec);
    context_.metrics.ConnectionOpened();
  }
  ~Session() { context_.metrics.ConnectionClosed(); }

  const Strand& strand() const { return strand_; }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->DoHandshake();
      } else {
        self->DoRead();
      }
    });
  }

  // Runs on the session's strand. Answers for an earlier request, or after a timeout, are
  // dropped: the request number tells them apart.
  void Answer(HttpResponse response, uint64_t request_number) {
    if (!awaiting_answer_ || request_number != request_number_) return;
    awaiting_answer_ = false;
    handler_timer_.cancel();
    Write(std::move(response), !keep_alive_);
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  void ArmTimeout() {
    Tcp().expires_after(std::chrono::milliseconds(context_.options.idle_timeout_ms));
  }

  // HTTPS only. A client that fails the handshake (plain HTTP, an old protocol, no shared
  // cipher) or stalls in it is dropped without an answer: there is no channel to answer on.
  void DoHandshake() {
    ArmTimeout();
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = this->shared_from_this()](beast::error_code ec) {
                              if (ec) {
                                self->ShutdownTcp();
                                return;
                              }
                              self->DoRead();
                            });
  }

  void DoRead() {
    parser_.emplace();
    parser_->body_limit(context_.options.max_body_bytes);
    parser_->header_limit(kMaxHeaderBytes);
    api_request_ = false;
    ArmTimeout();
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    request_start_ = Clock::now();
    if (ec == http::error::body_limit) {
      // The request line is parsed by now (the limit is checked once the headers are), so
      // the refusal of an API request is marked not to be cached like any other API answer.
      api_request_ = IsApiPath(parser_->get().target());
      Write(JsonErrorResponse(413, "PAYLOAD_TOO_LARGE",
                              "the request body exceeds " +
                                  std::to_string(context_.options.max_body_bytes) + " bytes"),
            true);
    } else if (ec == http::error::header_limit) {
      Write(JsonErrorResponse(431, "HEADERS_TOO_LARGE", "the request headers are too large"), true);
    } else if (ec && ec != http::error::end_of_stream && IsHttpParseError(ec)) {
      Write(JsonErrorResponse(400, "BAD_REQUEST", "malformed HTTP request: " + ec.message()), true);
    } else if (ec) {
      // The peer closed, the read timed out or the connection broke: nobody to answer.
      Close();
    } else {
      Dispatch();
    }
  }

  void Dispatch();
  void Write(HttpResponse response, bool close);

  void OnWrite(bool close, beast::error_code ec) {
    if (ec || close) {
      Close();
      return;
    }
    DoRead();
  }

  void Close() {
    if constexpr (kTls) {
      // close_notify first, so the client can tell a complete response from a truncated one.
      ArmTimeout();
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->ShutdownTcp(); });
    } else {
      ShutdownTcp();
    }
  }

  void ShutdownTcp() {
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // Each header of web_security.h the handler did not set itself.
  void AddSecurityHeaders(bool handler_set_headers) {
    auto add = [this, handler_set_headers](const HeaderField& field) {
      if (!handler_set_headers || response_.find(field.name) == response_.end()) {
        response_.set(field.name, field.value);
      }
    };
    for (const HeaderField& field : kSecurityHeaders) add(field);
    if (api_request_) add(kApiCacheControl);
    if (context_.strict_transport_security) add(kStrictTransportSecurity);
  }

  ServerContext& context_;
  Strand strand_;  // The one the listener accepted the connection on; all work runs on it.
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;  // Must live until its async_write completes.
  asio::steady_timer handler_timer_;
  std::string remote_address_;
  Clock::time_point request_start_;
  uint64_t request_number_ = 0;
  bool awaiting_answer_ = false;
  bool keep_alive_ = false;
  bool head_request_ = false;  // Answer with headers only, announcing the body's length.
  bool api_request_ = false;   // The path is under /api/: answers are not to be cached.
};

// The reply state of the request whose handler is running on this thread, if any. Compared
// by address only, so it need not know which kind of session the state belongs to.
thread_local const void* reply_in_handler = nullptr;

// Sets reply_in_handler for the duration of one handler call.
class InHandlerScope {
 public:
  explicit InHandlerScope(const void* state) : previous_(reply_in_handler) {
    reply_in_handler = state;
  }
  ~InHandlerScope() { reply_in_handler = previous_; }
  InHandlerScope(const InHandlerScope&) = delete;
  InHandlerScope& operator=(const InHandlerScope&) = delete;

 private:
  const void* previous_;
};

// Shared by every copy of one request's Responder.
template <class Session>
class ReplyState {
 public:
  ReplyState(std::weak_ptr<Session> session, std::shared_ptr<ReplyGate> gate,
             uint64_t request_number)
      : session_(std::move(session)), gate_(std::move(gate)), request_number_(request_number) {}

  // A handler that drops its Responder would otherwise leave the client waiting for the
  // handler timeout; answering at once makes the bug visible.
  ~ReplyState() {
    if (state_.load(std::memory_order_relaxed) == kPending) {
      Send(JsonErrorResponse(500, "INTERNAL", "the request was dropped without an answer"));
    }
  }

  // The Responder's call: a second call is a programmer error.
  void AnswerByHandler(HttpResponse response) {
    int expected = kPending;
    if (state_.compare_exchange_strong(expected, kByHandler, std::memory_order_acq_rel)) {
      Send(std::move(response));
      return;
    }
    QB_ASSERT(expected == kByServer);
  }

  // The server's own answer (after the handler threw); yields to one the handler already gave.
  void AnswerByServer(HttpResponse response) {
    int expected = kPending;
    if (state_.compare_exchange_strong(expected, kByServer, std::memory_order_acq_rel)) {
      Send(std::move(response));
    }
  }

 private:
  static constexpr int kPending = 0;
  static constexpr int kByHandler = 1;
  static constexpr int kByServer = 2;

  void Send(HttpResponse response) {
    if (reply_in_handler == this) {
      // Answered at once, from inside the handler call in Session::Dispatch: this runs on the
      // session's strand, so the session and the io_context are alive, and the answer can be
      // written inline, with no post and no lock.
      std::shared_ptr<Session> session = session_.lock();
      QB_ASSERT(session != nullptr);
      session->Answer(std::move(response), request_number_);
      return;
    }
    std::lock_guard lock(gate_->mutex);
    if (gate_->stopped) return;
    // Taken under the lock: should this be the last reference, the session is destroyed
    // before Stop() can go on to destroy the io_context its socket belongs to.
    std::shared_ptr<Session> session = session_.lock();
    if (!session) return;
    asio::post(session->strand(),
               [session, response = std::move(response), number = request_number_]() mutable {
                 session->Answer(std::move(response), number);
               });
  }

  std::weak_ptr<Session> session_;
  std::shared_ptr<ReplyGate> gate_;
  uint64_t request_number_;
  std::atomic<int> state_{kPending};
};

template <class Stream>
void Session<Stream>::Dispatch() {
  http::request<http::string_body> message = parser_->release();
  keep_alive_ = message.keep_alive();
  head_request_ = message.method() == http::verb::head;
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.body = std::move(message.body());
  request.headers.reserve(8);
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.remote_address = remote_address_;
  api_request_ = IsApiPath(request.Path());
  if (IsCrossSiteStateChange(request)) {
    LogWarn("refused a cross-site request", {{"method", request.method},
                                             {"path", std::string(request.Path())},
                                             {"remote_address", remote_address_}});
    Write(CsrfRejectedResponse(), !keep_alive_);
    return;
  }

  ++request_number_;
  awaiting_answer_ = true;
  auto state =
      std::make_shared<ReplyState<Session>>(this->weak_from_this(), context_.gate, request_number_);
  Responder respond = [state](HttpResponse response) {
    state->AnswerByHandler(std::move(response));
  };
  // Exceptions stop here, at the session boundary, and become a clean 500: they are logged,
  // never swallowed, and never take the I/O thread down.
  InHandlerScope scope(state.get());
  try {
    context_.handler(std::move(request), std::move(respond));
  } catch (const std::exception& error) {
    LogError("request handler threw", {{"error", error.what()}});
    state->AnswerByServer(JsonErrorResponse(500, "INTERNAL", "internal error"));
  } catch (...) {
    LogError("request handler threw", {{"error", "unknown exception"}});
    state->AnswerByServer(JsonErrorResponse(500, "INTERNAL", "internal error"));
  }
  if (!awaiting_answer_) return;
  // The handler passed the request on. Until it answers, this wait is the session's only
  // pending operation, and so what keeps the session alive. Arming it only now spares the
  // timer queue for handlers that answer at once; an answer from another thread cannot slip
  // in before it, because it is posted to this strand, which is busy running this.
  handler_timer_.expires_after(std::chrono::milliseconds(context_.options.handler_timeout_ms));
  handler_timer_.async_wait([self = this->shared_from_this(),
                             number = request_number_](beast::error_code ec) {
    if (ec) return;  // Cancelled: the answer came in time.
    self->Answer(JsonErrorResponse(503, "TIMEOUT", "the server did not answer in time"), number);
  });
}

template <class Stream>
void Session<Stream>::Write(HttpResponse response, bool close) {
  if (response.status < 100 || response.status > 599) {
    LogError("handler answered with an invalid status",
             {{"status", std::to_string(response.status)}});
    response = JsonErrorResponse(500, "INTERNAL", "internal error");
  }
  context_.metrics.CountResponse(response.status, Clock::now() - request_start_);
  response_ = {};
  response_.result(static_cast<unsigned>(response.status));
  response_.version(11);
  response_.set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) response_.insert(name, value);
  AddSecurityHeaders(!response.headers.empty());
  response_.keep_alive(!close);
  response_.body() = std::move(response.body);
  response_.prepare_payload();
  if (head_request_) response_.body().clear();
  ArmTimeout();
  http::async_write(stream_, response_,
                    [self = this->shared_from_this(), close](beast::error_code ec, size_t) {
                      self->OnWrite(close, ec);
                    });
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::string_view HttpRequest::Path() const {
  std::string_view path = target;
  return path.substr(0, path.find('?'));
}

std::string_view HttpRequest::PathParam(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

HttpResponse JsonErrorResponse(int status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"error\":{\"code\":";
  AppendJsonString(response.body, code);
  response.body += ",\"message\":";
  AppendJsonString(response.body, message);
  response.body += "}}";
  return response;
}

struct HttpServer::Impl {
  explicit Impl(HttpServerOptions options, HttpHandler handler)
      : context(std::move(options), std::move(handler)),
        io_context(static_cast<int>(context.options.io_threads)),
        acceptor(asio::make_strand(io_context)),
        retry_timer(acceptor.get_executor()) {}

  void DoAccept() {
    acceptor.async_accept(
        asio::make_strand(io_context),
        [this](beast::error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      LogWarn("accept failed", {{"error", ec.message()}});
      retry_timer.expires_after(kAcceptRetryDelay);
      retry_timer.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) DoAccept();
      });
      return;
    }
    if (context.tls) {
      std::make_shared<Session<TlsStream>>(std::move(socket), context, *context.tls)->Start();
    } else {
      std::make_shared<Session<PlainStream>>(std::move(socket), context)->Start();
    }
    DoAccept();
  }

  // Loads the certificate and key when the options name them.
  std::string SetUpTls() {
    const HttpServerOptions& options = context.options;
    const bool has_chain = !options.tls_certificate_chain_file.empty();
    const bool has_key = !options.tls_private_key_file.empty();
    if (has_chain != has_key) {
      return "TLS needs both a certificate chain file and a private key file, not just one";
    }
    context.strict_transport_security = has_chain || options.tls_terminated_by_proxy;
    if (!has_chain) return "";
    context.tls.emplace(asio::ssl::context::tls_server);
    std::string error =
        ConfigureTlsServerContext(context.tls->native_handle(), options.tls_certificate_chain_file,
                                  options.tls_private_key_file);
    if (!error.empty()) context.tls.reset();
    return error;
  }

  void RunIoThread() {
    // An exception escaping a completion handler would end the thread and, with it, a share
    // of the server's capacity; log it and keep serving.
    for (;;) {
      try {
        io_context.run();
        return;
      } catch (const std::exception& error) {
        LogError("I/O thread caught an exception", {{"error", error.what()}});
      }
    }
  }

  // Declared first so that it outlives the sessions destroyed with the io_context.
  ServerContext context;
  asio::io_context io_context;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_guard;
  std::vector<std::thread> threads;
  uint16_t bound_port = 0;
  bool started = false;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

std::string HttpServer::Start() {
  QB_ASSERT(!impl_->started);
  impl_->started = true;
  const HttpServerOptions& options = impl_->context.options;
  if (std::string error = impl_->SetUpTls(); !error.empty()) return error;
  std::string where = options.listen_address + ":" + std::to_string(options.listen_port);
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.listen_address, ec);
  if (ec) return "listen address \"" + options.listen_address + "\": " + ec.message();
  tcp::endpoint endpoint(address, options.listen_port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return "open a socket for " + where + ": " + ec.message();
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return "set SO_REUSEADDR for " + where + ": " + ec.message();
  acceptor.bind(endpoint, ec);
  if (ec) return "bind " + where + ": " + ec.message();
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "listen on " + where + ": " + ec.message();
  impl_->bound_port = acceptor.local_endpoint().port();
  impl_->DoAccept();
  impl_->work_guard.emplace(impl_->io_context.get_executor());
  for (uint32_t i = 0; i < options.io_threads; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->RunIoThread(); });
  }
  return "";
}

uint16_t HttpServer::port() const { return impl_->bound_port; }

bool HttpServer::tls() const { return impl_->context.tls.has_value(); }

void HttpServer::Stop() {
  {
    std::lock_guard lock(impl_->context.gate->mutex);
    impl_->context.gate->stopped = true;
  }
  impl_->work_guard.reset();
  impl_->io_context.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  // No I/O thread runs any more, so the acceptor may be touched from here.
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

}  // namespace qb
