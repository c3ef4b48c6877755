#include "identity/sms_gateway.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace qb::identity {
namespace {

SmsMessage OtpMessage(std::string phone, std::string code) {
  return SmsMessage{std::move(phone), "otp_register", {{"code", std::move(code)}}};
}

std::unique_ptr<OutboxSmsGateway> MakeOutbox(size_t capacity) {
  std::unique_ptr<OutboxSmsGateway> outbox;
  EXPECT_TRUE(OutboxSmsGateway::Create(Deployment::kDevelopment, capacity, &outbox).ok());
  return outbox;
}

TEST(SmsTemplateTest, RendersKnownPlaceholders) {
  std::string text;
  ASSERT_TRUE(
      RenderSmsTemplate("码{code}，{minutes}分钟", {{"code", "123456"}, {"minutes", "5"}}, &text)
          .ok());
  EXPECT_EQ(text, "码123456，5分钟");
  std::optional<std::string_view> otp = FindSmsTemplate("otp_register");
  ASSERT_TRUE(otp.has_value());
  ASSERT_TRUE(RenderSmsTemplate(*otp, {{"code", "654321"}}, &text).ok());
  EXPECT_EQ(text, "【qianbao】您的验证码是654321，5分钟内有效，用于注册。请勿告诉他人。");
  EXPECT_FALSE(FindSmsTemplate("free_text").has_value());
}

TEST(SmsTemplateTest, RejectsUnknownMissingAndMalformed) {
  std::string text = "untouched";
  EXPECT_FALSE(RenderSmsTemplate("码{code}{link}", {{"code", "1"}}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("码{code}", {{"code", "1"}, {"link", "x"}}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("码{code", {{"code", "1"}}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("码code}", {}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("码{co{de}}", {{"code", "1"}}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("码{code}", {{"code", "{x}"}}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("码{code}", {{"code", "1\r\n2"}}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("码{code}", {{"code", std::string(65, '1')}}, &text).ok());
  EXPECT_FALSE(RenderSmsTemplate("{Code}", {{"Code", "1"}}, &text).ok());
  EXPECT_EQ(text, "untouched");
}

TEST(OutboxSmsGatewayTest, RefusesProductionAndBadCapacity) {
  std::unique_ptr<OutboxSmsGateway> outbox;
  EXPECT_EQ(OutboxSmsGateway::Create(Deployment::kProduction, 10, &outbox).code(),
            Status::Code::kInvalidArgument);
  EXPECT_FALSE(OutboxSmsGateway::Create(Deployment::kDevelopment, 0, &outbox).ok());
  EXPECT_FALSE(OutboxSmsGateway::Create(Deployment::kDevelopment,
                                        OutboxSmsGateway::kMaxCapacity + 1, &outbox)
                   .ok());
  EXPECT_EQ(outbox, nullptr);
}

TEST(OutboxSmsGatewayTest, ListsNewestFirstWithFilterAndLimit) {
  auto outbox = MakeOutbox(OutboxSmsGateway::kDefaultCapacity);
  ASSERT_TRUE(outbox->Send(OtpMessage("13812345678", "111111")).ok());
  ASSERT_TRUE(outbox->Send(OtpMessage("13900000000", "222222")).ok());
  ASSERT_TRUE(outbox->Send(OtpMessage("13812345678", "333333")).ok());
  std::vector<SmsOutboxEntry> all = outbox->List(std::nullopt, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].sequence, 3u);
  EXPECT_EQ(all[0].params.at("code"), "333333");
  EXPECT_NE(all[0].text.find("333333"), std::string::npos);
  EXPECT_EQ(all[2].sequence, 1u);
  std::vector<SmsOutboxEntry> mine = outbox->List(std::string("13812345678"), 10);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].params.at("code"), "333333");
  EXPECT_EQ(mine[1].params.at("code"), "111111");
  EXPECT_EQ(outbox->List(std::nullopt, 1).size(), 1u);
  EXPECT_TRUE(outbox->List(std::string("13700000000"), 10).empty());
}

TEST(OutboxSmsGatewayTest, DropsOldestBeyondCapacity) {
  auto outbox = MakeOutbox(2);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(outbox->Send(OtpMessage("13812345678", std::string(6, char('0' + i)))).ok());
  }
  std::vector<SmsOutboxEntry> entries = outbox->List(std::nullopt, 100);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].sequence, 5u);
  EXPECT_EQ(entries[1].sequence, 4u);
}

TEST(OutboxSmsGatewayTest, RejectsBadMessages) {
  auto outbox = MakeOutbox(10);
  EXPECT_FALSE(outbox->Send(OtpMessage("+86 138 1234 5678", "123456")).ok());  // not normalised
  EXPECT_FALSE(outbox->Send(OtpMessage("12345", "123456")).ok());
  EXPECT_FALSE(outbox->Send(SmsMessage{"13812345678", "free_text", {{"code", "1"}}}).ok());
  EXPECT_FALSE(outbox->Send(SmsMessage{"13812345678", "otp_login", {}}).ok());
  Status status = outbox->Send(SmsMessage{"13812345678", "otp_login", {{"code", "98765\n"}}});
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.message().find("98765"), std::string::npos);
  EXPECT_TRUE(outbox->List(std::nullopt, 10).empty());
}

TEST(OutboxSmsGatewayTest, ConcurrentSendsKeepDistinctSequences) {
  auto outbox = MakeOutbox(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) EXPECT_TRUE(outbox->Send(OtpMessage("13812345678", "1")).ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<SmsOutboxEntry> entries = outbox->List(std::nullopt, 1000);
  ASSERT_EQ(entries.size(), 400u);
  for (size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].sequence, 400u - i);
}

TEST(HttpUrlTest, ParsesStrictly) {
  HttpUrl url;
  ASSERT_TRUE(ParseHttpUrl("http://sms.example.com:8080/v1/send?x=1", &url).ok());
  EXPECT_EQ(url.host, "sms.example.com");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.target, "/v1/send?x=1");
  ASSERT_TRUE(ParseHttpUrl("http://127.0.0.1/", &url).ok());
  EXPECT_EQ(url.port, 80);
  for (const char* bad :
       {"https://sms.example.com/", "HTTP://a/", "http://a", "http://:80/", "http://a:0/",
        "http://a:65536/", "http://a:8o/", "http://user@a/", "http://a b/", "http://a/x y",
        "http://a/#frag", "ftp://a/", "http://[::1]/", "http://a:/"}) {
    EXPECT_FALSE(ParseHttpUrl(bad, &url).ok()) << bad;
  }
}

// A one-shot HTTP server on 127.0.0.1: accepts one connection, reads one request (headers and
// Content-Length body) and answers with `status_code`, or never answers when it is 0.
class OneShotServer {
 public:
  explicit OneShotServer(int status_code) : status_code_(status_code) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(::listen(listen_fd_, 1), 0);
    EXPECT_EQ(::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  // Waits for the exchange to end and returns the raw request received.
  std::string Finish() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  // Bounded waits so that a broken client cannot hang the test.
  bool WaitReadable(int fd) {
    pollfd poll_fd{fd, POLLIN, 0};
    return ::poll(&poll_fd, 1, 5000) == 1;
  }

  void Serve() {
    if (!WaitReadable(listen_fd_)) return;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    char buffer[4096];
    while (request_.size() < 65536 && WaitReadable(fd)) {
      ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      request_.append(buffer, static_cast<size_t>(n));
      size_t header_end = request_.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      size_t length_at = request_.find("Content-Length: ");
      size_t body_length =
          length_at == std::string::npos ? 0 : std::stoul(request_.substr(length_at + 16));
      if (request_.size() >= header_end + 4 + body_length) break;
    }
    if (status_code_ != 0) {
      std::string response = "HTTP/1.1 " + std::to_string(status_code_) +
                             " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
      ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
    } else {
      WaitReadable(fd);  // until the client gives up and closes
    }
    ::close(fd);
  }

  int status_code_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::string request_;
};

std::unique_ptr<HttpSmsGateway> MakeHttpGateway(uint16_t port, int64_t timeout_ms = 2000) {
  HttpSmsConfig config;
  config.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/sms";
  config.body_template = R"({"mobile":${phone},"tpl":${template_id},"vars":${params}})";
  config.headers = {{"X-Api-Key", "test-key"}};
  config.timeout_ms = timeout_ms;
  std::unique_ptr<HttpSmsGateway> gateway;
  EXPECT_TRUE(HttpSmsGateway::Create(config, &gateway).ok());
  return gateway;
}

TEST(HttpSmsGatewayTest, CreateValidatesConfig) {
  std::unique_ptr<HttpSmsGateway> gateway;
  HttpSmsConfig config{"http://127.0.0.1:9/x", R"({"m":${phone}})", {}, 1000};
  EXPECT_TRUE(HttpSmsGateway::Create(config, &gateway).ok());
  HttpSmsConfig bad = config;
  bad.url = "https://127.0.0.1/x";
  EXPECT_FALSE(HttpSmsGateway::Create(bad, &gateway).ok());
  bad = config;
  bad.body_template = R"({"m":${mobile}})";
  EXPECT_FALSE(HttpSmsGateway::Create(bad, &gateway).ok());
  bad = config;
  bad.headers = {{"X-Evil", "a\r\nHost: b"}};
  EXPECT_FALSE(HttpSmsGateway::Create(bad, &gateway).ok());
  bad = config;
  bad.timeout_ms = 0;
  EXPECT_FALSE(HttpSmsGateway::Create(bad, &gateway).ok());
}

TEST(HttpSmsGatewayTest, PostsJsonAndAccepts2xx) {
  OneShotServer server(200);
  auto gateway = MakeHttpGateway(server.port());
  ASSERT_TRUE(gateway->Send(OtpMessage("13812345678", "246810")).ok());
  std::string request = server.Finish();
  EXPECT_TRUE(request.starts_with("POST /v1/sms HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("X-Api-Key: test-key"), std::string::npos);
  EXPECT_NE(request.find("application/json"), std::string::npos);
  EXPECT_NE(
      request.find(R"({"mobile":"13812345678","tpl":"otp_register","vars":{"code":"246810"}})"),
      std::string::npos)
      << request;
}

TEST(HttpSmsGatewayTest, ServerErrorIsIoErrorWithoutTheCode) {
  OneShotServer server(500);
  auto gateway = MakeHttpGateway(server.port());
  Status status = gateway->Send(OtpMessage("13812345678", "135790"));
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_NE(status.message().find("500"), std::string::npos);
  EXPECT_EQ(status.ToString().find("135790"), std::string::npos);
  EXPECT_EQ(status.ToString().find("13812345678"), std::string::npos);
}

TEST(HttpSmsGatewayTest, SilentServerTimesOut) {
  OneShotServer server(0);
  auto gateway = MakeHttpGateway(server.port(), 200);
  auto start = std::chrono::steady_clock::now();
  Status status = gateway->Send(OtpMessage("13812345678", "975310"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_EQ(status.ToString().find("975310"), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(HttpSmsGatewayTest, RefusedConnectionIsIoError) {
  // A socket bound but not listening: connecting to its port is refused at once.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  auto gateway = MakeHttpGateway(ntohs(address.sin_port));
  Status status = gateway->Send(OtpMessage("13812345678", "112233"));
  ::close(fd);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_NE(status.message().find("connect"), std::string::npos);
}

TEST(HttpSmsGatewayTest, InvalidMessageIsRejectedBeforeAnyConnection) {
  auto gateway = MakeHttpGateway(9);  // nothing listens; validation fails first
  EXPECT_EQ(gateway->Send(SmsMessage{"13812345678", "free_text", {}}).code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace qb::identity
