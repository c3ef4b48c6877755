// Sending SMS. Messages name a template and its parameters instead of carrying free text: the
// carrier approves templates in advance, and a template id cannot be used to smuggle arbitrary
// text (phishing links) to a customer. Two implementations:
//   - OutboxSmsGateway keeps messages in memory, for development, tests and the admin outbox;
//   - HttpSmsGateway posts each message to a provider's HTTP API.
// Errors never contain the message text or its parameters, because those hold one-time codes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace qb::identity {

struct SmsMessage {
  std::string phone;  // normalised 11 digits (NormalizePhone)
  std::string template_id;
  std::map<std::string, std::string> params;
};

// Bounds on what a message may carry; a caller exceeding them has a bug or is under attack.
inline constexpr size_t kSmsMaxParams = 8;
inline constexpr size_t kSmsMaxParamNameBytes = 32;
inline constexpr size_t kSmsMaxParamValueBytes = 64;

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // Sends one message. kInvalidArgument: bad phone, unknown template, or parameters that do
  // not match the template's placeholders. kIoError: the provider did not accept the message.
  // Implementations are thread-safe.
  virtual Status Send(const SmsMessage& message) = 0;
};

// The text of a built-in template ("otp_register", "otp_login", "otp_reset_password",
// "otp_bind_card", "otp_reset_pin"), or nullopt. The view points at static storage.
std::optional<std::string_view> FindSmsTemplate(std::string_view template_id);

// Replaces each "{name}" in `template_text` with params[name]. kInvalidArgument when the text
// has a placeholder without a parameter, a parameter without a placeholder, an unbalanced
// brace, or a parameter outside the bounds above. `*out` is set only on success.
Status RenderSmsTemplate(std::string_view template_text,
                         const std::map<std::string, std::string>& params, std::string* out);

// Checks phone, template and parameters and renders the text, as every gateway does first.
Status ValidateSmsMessage(const SmsMessage& message, std::string* rendered_text);

// Where the process runs. Configuration passes it through so that a production build can
// refuse gateways that are unsafe there.
enum class Deployment : uint8_t { kDevelopment, kProduction };

struct SmsOutboxEntry {
  uint64_t sequence = 0;  // 1 for the first message sent, increasing by one
  std::string phone;
  std::string template_id;
  std::string text;  // rendered
  std::map<std::string, std::string> params;
  int64_t sent_unix_ns = 0;  // When Send took it; 0 when the outbox has no clock.
};

// DEVELOPMENT ONLY. Holds the last `capacity` messages, one-time codes included, in plain text
// so that developers, tests and the admin-only outbox endpoint can read them. Never use it where
// real customers receive codes: Create refuses Deployment::kProduction. Thread-safe.
class OutboxSmsGateway final : public SmsGateway {
 public:
  static constexpr size_t kDefaultCapacity = 1000;
  static constexpr size_t kMaxCapacity = 100'000;

  // kInvalidArgument for kProduction, or a capacity of 0 or above kMaxCapacity. `clock`, which
  // must outlive the outbox, stamps each message's sending time; optional.
  static Status Create(Deployment deployment, size_t capacity,
                       std::unique_ptr<OutboxSmsGateway>* out, const Clock* clock = nullptr);

  Status Send(const SmsMessage& message) override;

  // Up to `limit` entries, newest first, optionally only those for `phone`.
  std::vector<SmsOutboxEntry> List(const std::optional<std::string>& phone, size_t limit) const;

 private:
  OutboxSmsGateway(size_t capacity, const Clock* clock) : capacity_(capacity), clock_(clock) {}

  const size_t capacity_;
  const Clock* const clock_;
  mutable std::mutex mutex_;
  uint64_t next_sequence_ = 1;          // guarded by mutex_
  std::deque<SmsOutboxEntry> entries_;  // guarded by mutex_; oldest at the front
};

// "http://host[:port]/path", parsed strictly: lowercase scheme, host of letters, digits, '.'
// and '-' (no user info, no IPv6 literal yet), port 1-65535, path of visible ASCII without '#'.
// https is not supported yet: it needs TLS (OpenSSL through Beast) and certificate pinning.
struct HttpUrl {
  std::string host;
  uint16_t port = 80;
  std::string target;  // path and query, starts with '/'
};
Status ParseHttpUrl(std::string_view url, HttpUrl* out);

struct HttpSmsConfig {
  std::string url;
  // The JSON request body. "${phone}", "${template_id}" and "${text}" become JSON strings,
  // "${params}" a JSON object of the parameters, e.g.
  //   {"mobile":${phone},"template":${template_id},"vars":${params}}
  // Any other "${...}" is rejected by Create.
  std::string body_template;
  // Extra request headers, e.g. the provider's API key (from the secret store, never a file).
  std::map<std::string, std::string> headers;
  int64_t timeout_ms = 5000;  // for the whole exchange: resolve, connect, write, read
};

// Posts one request per message and treats any 2xx answer as accepted. Each Send makes its own
// connection and blocks for at most the timeout, so it belongs on a worker thread, never on the
// engine's. Thread-safe: Send shares no mutable state.
class HttpSmsGateway final : public SmsGateway {
 public:
  static constexpr size_t kMaxResponseBytes = 64 * 1024;

  // kInvalidArgument for a bad URL, body template, header or timeout.
  static Status Create(HttpSmsConfig config, std::unique_ptr<HttpSmsGateway>* out);

  Status Send(const SmsMessage& message) override;

 private:
  HttpSmsGateway(HttpSmsConfig config, HttpUrl url)
      : config_(std::move(config)), url_(std::move(url)) {}

  const HttpSmsConfig config_;
  const HttpUrl url_;
};

}  // namespace qb::identity
