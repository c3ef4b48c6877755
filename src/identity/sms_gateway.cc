#include "identity/sms_gateway.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <utility>

#include "identity/phone.h"

namespace qb::identity {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct TemplateText {
  std::string_view id;
  std::string_view text;
};

constexpr TemplateText kTemplates[] = {
    {"otp_register", "【qianbao】您的验证码是{code}，5分钟内有效，用于注册。请勿告诉他人。"},
    {"otp_login", "【qianbao】您的验证码是{code}，5分钟内有效，用于登录。请勿告诉他人。"},
    {"otp_reset_password",
     "【qianbao】您的验证码是{code}，5分钟内有效，用于重置密码。请勿告诉他人。"},
    {"otp_bind_card", "【qianbao】您的验证码是{code}，5分钟内有效，用于绑定银行卡。请勿告诉他人。"},
    {"otp_reset_pin",
     "【qianbao】您的验证码是{code}，5分钟内有效，用于重置支付密码。请勿告诉他人。"},
    {"otp_payment", "【qianbao】您的验证码是{code}，5分钟内有效，用于确认一笔付款。请勿告诉他人。"},
    {"otp_close_account",
     "【qianbao】您的验证码是{code}"
     "，5分钟内有效，用于注销钱包账户。如非本人操作，请立即修改密码。"},
};

constexpr size_t kMaxTemplateBytes = 4096;
constexpr int64_t kMaxTimeoutMs = 60'000;

bool IsParamNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsSafeHeaderText(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7f;
  });
}

std::string JsonString(std::string_view text) {
  return boost::json::serialize(boost::json::value(boost::json::string(text)));
}

std::string JsonObject(const std::map<std::string, std::string>& params) {
  boost::json::object object;
  for (const auto& [name, value] : params) object[name] = value;
  return boost::json::serialize(object);
}

// Expands "${name}" in the body template. With `values` null it only checks the names.
Status ExpandBodyTemplate(std::string_view body_template,
                          const std::map<std::string_view, std::string>* values, std::string* out) {
  static constexpr std::string_view kNames[] = {"phone", "template_id", "text", "params"};
  std::string result;
  size_t position = 0;
  while (position < body_template.size()) {
    size_t start = body_template.find("${", position);
    if (start == std::string_view::npos) break;
    size_t end = body_template.find('}', start);
    if (end == std::string_view::npos) return Status::InvalidArgument("unterminated ${ in body");
    std::string_view name = body_template.substr(start + 2, end - start - 2);
    if (std::find(std::begin(kNames), std::end(kNames), name) == std::end(kNames)) {
      return Status::InvalidArgument("unknown body placeholder: " + std::string(name));
    }
    result.append(body_template.substr(position, start - position));
    if (values != nullptr) result.append(values->at(name));
    position = end + 1;
  }
  result.append(body_template.substr(std::min(position, body_template.size())));
  if (out != nullptr) *out = std::move(result);
  return Status::Ok();
}

// Runs the io_context until the operation started before it completes or `deadline` passes;
// on the deadline, `cancel` aborts the operation and its handler runs with operation_aborted.
template <typename Cancel>
void RunUntil(net::io_context& io, std::chrono::steady_clock::time_point deadline, Cancel cancel) {
  io.restart();
  io.run_until(deadline);
  if (!io.stopped()) {
    cancel();
    io.run();
  }
}

}  // namespace

std::optional<std::string_view> FindSmsTemplate(std::string_view template_id) {
  for (const TemplateText& entry : kTemplates) {
    if (entry.id == template_id) return entry.text;
  }
  return std::nullopt;
}

Status RenderSmsTemplate(std::string_view template_text,
                         const std::map<std::string, std::string>& params, std::string* out) {
  if (params.size() > kSmsMaxParams) return Status::InvalidArgument("too many sms parameters");
  for (const auto& [name, value] : params) {
    if (name.empty() || name.size() > kSmsMaxParamNameBytes ||
        !std::all_of(name.begin(), name.end(), IsParamNameChar)) {
      return Status::InvalidArgument("bad sms parameter name");
    }
    // Values are not echoed in errors: they hold codes.
    if (value.size() > kSmsMaxParamValueBytes || value.find_first_of("{}") != std::string::npos ||
        !IsSafeHeaderText(value)) {
      return Status::InvalidArgument("bad sms parameter value for " + name);
    }
  }
  std::string result;
  std::set<std::string_view> used;
  for (size_t i = 0; i < template_text.size(); ++i) {
    char c = template_text[i];
    if (c == '}') return Status::InvalidArgument("unbalanced } in sms template");
    if (c != '{') {
      result.push_back(c);
      continue;
    }
    size_t end = template_text.find_first_of("{}", i + 1);
    if (end == std::string_view::npos || template_text[end] != '}') {
      return Status::InvalidArgument("unbalanced { in sms template");
    }
    std::string name(template_text.substr(i + 1, end - i - 1));
    auto it = params.find(name);
    if (it == params.end()) return Status::InvalidArgument("unknown sms placeholder: " + name);
    used.insert(it->first);
    result.append(it->second);
    i = end;
  }
  if (used.size() != params.size())
    return Status::InvalidArgument("sms parameter without placeholder");
  *out = std::move(result);
  return Status::Ok();
}

Status ValidateSmsMessage(const SmsMessage& message, std::string* rendered_text) {
  std::optional<std::string> phone = NormalizePhone(message.phone);
  if (!phone || *phone != message.phone) {
    return Status::InvalidArgument("sms phone is not a normalised mainland number");
  }
  std::optional<std::string_view> text = FindSmsTemplate(message.template_id);
  if (!text) return Status::InvalidArgument("unknown sms template");
  return RenderSmsTemplate(*text, message.params, rendered_text);
}

Status OutboxSmsGateway::Create(Deployment deployment, size_t capacity,
                                std::unique_ptr<OutboxSmsGateway>* out, const Clock* clock) {
  if (deployment == Deployment::kProduction) {
    return Status::InvalidArgument("the sms outbox keeps codes in plain text: development only");
  }
  if (capacity == 0 || capacity > kMaxCapacity) {
    return Status::InvalidArgument("sms outbox capacity out of range");
  }
  out->reset(new OutboxSmsGateway(capacity, clock));
  return Status::Ok();
}

Status OutboxSmsGateway::Send(const SmsMessage& message) {
  std::string text;
  Status status = ValidateSmsMessage(message, &text);
  if (!status.ok()) return status;
  const int64_t now_ns = clock_ != nullptr ? clock_->NowNs() : 0;
  std::lock_guard lock(mutex_);
  if (entries_.size() == capacity_) entries_.pop_front();
  entries_.push_back(SmsOutboxEntry{next_sequence_++, message.phone, message.template_id,
                                    std::move(text), message.params, now_ns});
  return Status::Ok();
}

std::vector<SmsOutboxEntry> OutboxSmsGateway::List(const std::optional<std::string>& phone,
                                                   size_t limit) const {
  std::vector<SmsOutboxEntry> result;
  std::lock_guard lock(mutex_);
  for (auto it = entries_.rbegin(); it != entries_.rend() && result.size() < limit; ++it) {
    if (!phone || it->phone == *phone) result.push_back(*it);
  }
  return result;
}

Status ParseHttpUrl(std::string_view url, HttpUrl* out) {
  if (url.size() > 2048) return Status::InvalidArgument("url too long");
  if (url.starts_with("https://")) {
    return Status::InvalidArgument("https urls are not supported yet");
  }
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return Status::InvalidArgument("url must start with http://");
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return Status::InvalidArgument("url has no path");
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = rest.substr(slash);
  HttpUrl parsed;
  size_t colon = authority.find(':');
  std::string_view host = authority.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Status::InvalidArgument("bad url port");
    }
    uint32_t value = 0;
    for (char c : port) value = value * 10 + static_cast<uint32_t>(c - '0');
    if (value == 0 || value > 65535) return Status::InvalidArgument("bad url port");
    parsed.port = static_cast<uint16_t>(value);
  }
  auto host_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
  };
  if (host.empty() || host.size() > 253 || !std::all_of(host.begin(), host.end(), host_char) ||
      host.front() == '.' || host.front() == '-') {
    return Status::InvalidArgument("bad url host");
  }
  auto target_char = [](char c) { return c > 0x20 && c < 0x7f && c != '#'; };
  if (!std::all_of(target.begin(), target.end(), target_char)) {
    return Status::InvalidArgument("bad url path");
  }
  parsed.host = std::string(host);
  parsed.target = std::string(target);
  *out = std::move(parsed);
  return Status::Ok();
}

Status HttpSmsGateway::Create(HttpSmsConfig config, std::unique_ptr<HttpSmsGateway>* out) {
  HttpUrl url;
  Status status = ParseHttpUrl(config.url, &url);
  if (!status.ok()) return status;
  if (config.body_template.empty() || config.body_template.size() > kMaxTemplateBytes) {
    return Status::InvalidArgument("sms body template empty or too long");
  }
  status = ExpandBodyTemplate(config.body_template, nullptr, nullptr);
  if (!status.ok()) return status;
  for (const auto& [name, value] : config.headers) {
    if (name.empty() || name.find_first_of(": \t") != std::string::npos ||
        !IsSafeHeaderText(name) || !IsSafeHeaderText(value)) {
      return Status::InvalidArgument("bad sms request header");
    }
  }
  if (config.timeout_ms <= 0 || config.timeout_ms > kMaxTimeoutMs) {
    return Status::InvalidArgument("sms timeout out of range");
  }
  out->reset(new HttpSmsGateway(std::move(config), std::move(url)));
  return Status::Ok();
}

Status HttpSmsGateway::Send(const SmsMessage& message) {
  std::string text;
  Status status = ValidateSmsMessage(message, &text);
  if (!status.ok()) return status;
  std::map<std::string_view, std::string> values = {
      {"phone", JsonString(message.phone)},
      {"template_id", JsonString(message.template_id)},
      {"text", JsonString(text)},
      {"params", JsonObject(message.params)}};
  std::string body;
  status = ExpandBodyTemplate(config_.body_template, &values, &body);
  if (!status.ok()) return status;

  http::request<http::string_body> request{http::verb::post, url_.target, 11};
  request.set(http::field::host, url_.host);
  request.set(http::field::user_agent, "qianbao-sms/1");
  request.set(http::field::content_type, "application/json; charset=utf-8");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : config_.headers) request.set(name, value);
  request.body() = std::move(body);
  request.prepare_payload();

  // One deadline for the whole exchange; the error texts name the step, never the content.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.timeout_ms);
  net::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  beast::error_code error = net::error::timed_out;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(url_.host, std::to_string(url_.port),
                         [&](beast::error_code ec, tcp::resolver::results_type results) {
                           error = ec;
                           endpoints = std::move(results);
                         });
  RunUntil(io, deadline, [&] { resolver.cancel(); });
  if (error) return Status::IoError("sms gateway: resolve failed: " + error.message());

  stream.expires_at(deadline);
  error = net::error::timed_out;
  stream.async_connect(endpoints, [&](beast::error_code ec, const tcp::endpoint&) { error = ec; });
  RunUntil(io, deadline, [&] { stream.cancel(); });
  if (error) return Status::IoError("sms gateway: connect failed: " + error.message());

  error = net::error::timed_out;
  http::async_write(stream, request, [&](beast::error_code ec, size_t) { error = ec; });
  RunUntil(io, deadline, [&] { stream.cancel(); });
  if (error) return Status::IoError("sms gateway: write failed: " + error.message());

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  error = net::error::timed_out;
  http::async_read(stream, buffer, parser, [&](beast::error_code ec, size_t) { error = ec; });
  RunUntil(io, deadline, [&] { stream.cancel(); });
  if (error) return Status::IoError("sms gateway: read failed: " + error.message());

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  unsigned status_code = parser.get().result_int();
  // The response body is not quoted: a provider may echo the message back.
  if (status_code < 200 || status_code > 299) {
    return Status::IoError("sms gateway answered HTTP " + std::to_string(status_code));
  }
  return Status::Ok();
}

}  // namespace qb::identity
