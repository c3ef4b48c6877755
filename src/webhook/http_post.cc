#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <exception>

#include "base/assert.h"
#include "webhook/delivery_log.h"
#include "webhook/http_post_internal.h"

namespace qb::webhook::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

// How often a waiting attempt looks at the stop flag: Stop() returns within about this long
// even while an attempt waits on a silent server.
constexpr auto kStopPollInterval = std::chrono::milliseconds(20);

// Without private networks allowed, a name that does not resolve and a name that resolves to an
// internal address get the same message. Otherwise the delivery log would tell a merchant which
// internal host names exist, one probe URL at a time.
constexpr std::string_view kNoAllowedAddress = "host has no allowed address";

// Runs `io` until the pending operation completes (`*done`), the deadline passes or the stop
// flag is raised; in the last two cases cancels the operation and drains its handler. Returns
// true when the operation completed on its own.
template <typename Cancel>
bool RunStep(asio::io_context& io, SteadyTime deadline, const std::atomic<bool>& stop,
             const bool& done, Cancel cancel) {
  io.restart();
  // Each pass waits at most kStopPollInterval and the passes end at the deadline.
  while (!done && std::chrono::steady_clock::now() < deadline &&
         !stop.load(std::memory_order_acquire)) {
    io.run_until(std::min(deadline, std::chrono::steady_clock::now() + kStopPollInterval));
    if (io.stopped()) io.restart();
  }
  if (done) return true;
  cancel();
  io.run();
  return false;
}

PostResult Failure(std::string error) {
  PostResult result;
  if (error.size() > kMaxErrorBytes) error.resize(kMaxErrorBytes);
  result.error = std::move(error);
  return result;
}

PostResult StepFailure(std::string_view step, const beast::error_code& error) {
  if (error == beast::error::timeout) return Failure(std::string(step) + " timed out");
  return Failure(std::string(step) + " failed: " + error.message());
}

PostResult CutShort(const std::atomic<bool>& stop, std::string_view step) {
  if (stop.load(std::memory_order_acquire)) {
    PostResult result = Failure("dispatcher stopping");
    result.abandoned = true;
    return result;
  }
  return Failure(std::string(step) + " timed out");
}

http::request<http::string_body> BuildRequest(const PostRequest& request) {
  http::request<http::string_body> message{http::verb::post, request.url->target, 11};
  message.set(http::field::host, request.url->HostHeader());
  message.set(http::field::user_agent, "qianbao-webhook/1");
  message.set(http::field::content_type, "application/json");
  // One request per connection: attempts are minutes apart, nothing to keep alive for.
  message.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = std::string(request.body);
  message.prepare_payload();
  return message;
}

// Resolves the host and checks every address against the policy. On success fills `*allowed`.
PostResult Resolve(asio::io_context& io, const PostRequest& request, SteadyTime deadline,
                   std::vector<tcp::endpoint>* allowed) {
  tcp::resolver resolver(io);
  bool done = false;
  beast::error_code error;
  tcp::resolver::results_type results;
  auto flags = tcp::resolver::numeric_service;
  if (request.url->host_is_literal) flags |= tcp::resolver::numeric_host;
  resolver.async_resolve(request.url->host, std::to_string(request.url->port), flags,
                         [&](beast::error_code ec, tcp::resolver::results_type found) {
                           done = true;
                           error = ec;
                           results = std::move(found);
                         });
  if (!RunStep(io, deadline, *request.stop, done, [&] { resolver.cancel(); })) {
    return CutShort(*request.stop, "resolve");
  }
  if (error || results.empty()) {
    if (!request.allow_private_networks) return Failure(std::string(kNoAllowedAddress));
    return Failure("resolve failed: " + error.message());
  }
  // Bounded by what getaddrinfo returns, a handful of addresses.
  for (const auto& entry : results) {
    const asio::ip::address address = entry.endpoint().address();
    if (!request.allow_private_networks && !IsPublicAddress(address.to_string())) {
      return Failure(std::string(kNoAllowedAddress));
    }
    allowed->push_back(entry.endpoint());
  }
  return PostResult{};
}

PostResult Exchange(asio::io_context& io, const PostRequest& request, SteadyTime deadline,
                    const std::vector<tcp::endpoint>& endpoints) {
  beast::tcp_stream stream(io);
  // The stream's own timer enforces the deadline too; RunStep adds the stop flag.
  stream.expires_at(deadline);
  bool done = false;
  beast::error_code error;
  stream.async_connect(endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
    done = true;
    error = ec;
  });
  auto cancel = [&] { stream.cancel(); };
  if (!RunStep(io, deadline, *request.stop, done, cancel))
    return CutShort(*request.stop, "connect");
  if (error) return StepFailure("connect", error);

  http::request<http::string_body> message = BuildRequest(request);
  done = false;
  http::async_write(stream, message, [&](beast::error_code ec, size_t) {
    done = true;
    error = ec;
  });
  if (!RunStep(io, deadline, *request.stop, done, cancel)) return CutShort(*request.stop, "write");
  if (error) return StepFailure("write", error);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxResponseHeaderBytes);
  parser.body_limit(kMaxResponseBodyBytes);
  done = false;
  http::async_read(stream, buffer, parser, [&](beast::error_code ec, size_t) {
    done = true;
    error = ec;
  });
  if (!RunStep(io, deadline, *request.stop, done, cancel)) return CutShort(*request.stop, "read");
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  // An oversized body does not undo the answer: the status line and headers were read.
  if (error && !(error == http::error::body_limit && parser.is_header_done())) {
    return StepFailure("read", error);
  }
  PostResult result;
  result.http_status = static_cast<int32_t>(parser.get().result_int());
  // The response body is not quoted: it is the merchant's text, unbounded in kind.
  if (result.http_status < 200 || result.http_status > 299) {
    result.error = "HTTP " + std::to_string(result.http_status);
  }
  return result;
}

}  // namespace

PostResult PostWebhook(const PostRequest& request) {
  QB_ASSERT(request.url != nullptr && request.stop != nullptr && request.timeout_ns > 0);
  const SteadyTime deadline =
      std::chrono::steady_clock::now() + std::chrono::nanoseconds(request.timeout_ns);
  // Asio reports failures through error codes here, but creating the io_context or a socket
  // can still throw (out of file descriptors); that is a failed attempt, not a crashed worker.
  try {
    asio::io_context io;
    std::vector<tcp::endpoint> endpoints;
    PostResult resolved = Resolve(io, request, deadline, &endpoints);
    if (!resolved.error.empty()) return resolved;
    return Exchange(io, request, deadline, endpoints);
  } catch (const std::exception& e) {
    return Failure(std::string("internal error: ") + e.what());
  }
}

}  // namespace qb::webhook::internal
