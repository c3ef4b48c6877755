#include "server/http_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "base/metrics.h"
#include "server/log.h"
#include "server/routes.h"
#include "test_http_client.h"

namespace qb {
namespace {

using test_support::Get;
using test_support::Post;
using test_support::TestConnection;

HttpResponse Text(std::string body) {
  HttpResponse response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetupLogging("off");
    AddOperationalRoutes(router_, registry_);
    router_.Add("POST", "/echo",
                [](HttpRequest&& request, Responder respond) { respond(Text(request.body)); });
    router_.Add("GET", "/whoami", [](HttpRequest&& request, Responder respond) {
      respond(Text(std::string(request.Header("x-CALLER")) + "@" + request.remote_address + " " +
                   std::string(request.Path())));
    });
    router_.Add("GET", "/later", [this](HttpRequest&&, Responder respond) {
      // Answers from another thread, as the engine will.
      std::lock_guard lock(mutex_);
      workers_.emplace_back([respond = std::move(respond)] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        respond(Text("later"));
      });
    });
    router_.Add("GET", "/throw",
                [](HttpRequest&&, Responder) { throw std::runtime_error("handler bug"); });
    router_.Add("GET", "/drop", [](HttpRequest&&, Responder) {});
    router_.Add("GET", "/hold", [this](HttpRequest&&, Responder respond) {
      std::lock_guard lock(mutex_);
      held_ = std::move(respond);
    });
  }

  void TearDown() override {
    server_.reset();
    for (std::thread& worker : workers_) worker.join();
  }

  void StartServer(HttpServerOptions options = {}) {
    options.listen_address = "127.0.0.1";
    options.listen_port = 0;
    options.io_threads = 2;
    options.metrics = &registry_;
    options.max_body_bytes = 1024;  // Small, so the limit tests need not send much.
    server_ = std::make_unique<HttpServer>(options, router_.AsHandler());
    ASSERT_EQ(server_->Start(), "");
    ASSERT_NE(server_->port(), 0);
  }

  metrics::Registry registry_;
  Router router_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
  Responder held_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ServesHealthz) {
  StartServer();
  TestConnection connection(server_->port());
  auto response = connection.Request(Get("/healthz"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["content-type"], "application/json");
  EXPECT_EQ(response->body, R"({"status":"ok"})");
}

TEST_F(HttpServerTest, ServesMetricsCountingRequestsByStatus) {
  StartServer();
  TestConnection connection(server_->port());
  ASSERT_TRUE(connection.Request(Get("/healthz")));
  ASSERT_TRUE(connection.Request(Get("/nowhere")));
  auto response = connection.Request(Get("/metrics"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["content-type"], "text/plain; version=0.0.4");
  EXPECT_NE(response->body.find("# TYPE http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(response->body.find("http_requests_total{status=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(response->body.find("http_requests_total{status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(response->body.find("http_connections_open 1\n"), std::string::npos);
  EXPECT_NE(response->body.find("http_request_duration_seconds_count 2\n"), std::string::npos);
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405) {
  StartServer();
  TestConnection connection(server_->port());
  auto missing = connection.Request(Get("/nope"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"error":{"code":"NOT_FOUND","message":"no such resource"}})");
  auto wrong_method = connection.Request(Post("/healthz", "{}"));
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(wrong_method->headers["allow"], "GET");
  EXPECT_NE(wrong_method->body.find("METHOD_NOT_ALLOWED"), std::string::npos);
}

TEST_F(HttpServerTest, PassesBodyHeadersPathAndPeer) {
  StartServer();
  TestConnection connection(server_->port());
  auto echo = connection.Request(Post("/echo", R"({"amount":100})"));
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, R"({"amount":100})");
  auto who = connection.Request(Get("/whoami?x=1", "X-Caller: tester\r\n"));
  ASSERT_TRUE(who);
  EXPECT_EQ(who->body, "tester@127.0.0.1 /whoami");
}

TEST_F(HttpServerTest, OversizeBodyIs413AndCloses) {
  StartServer();
  TestConnection connection(server_->port());
  // Only the head is sent: the server must refuse on Content-Length alone, before any body.
  auto response = connection.Request(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("\"code\":\"PAYLOAD_TOO_LARGE\""), std::string::npos);
  EXPECT_EQ(response->headers["connection"], "close");
  EXPECT_TRUE(connection.PeerClosed());
}

TEST_F(HttpServerTest, BodyAtTheLimitIsAccepted) {
  StartServer();
  TestConnection connection(server_->port());
  auto response = connection.Request(Post("/echo", std::string(1024, 'x')));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body.size(), 1024u);
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  StartServer();
  TestConnection connection(server_->port());
  auto response = connection.Request("NOT HTTP AT ALL\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("\"code\":\"BAD_REQUEST\""), std::string::npos);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  TestConnection connection(server_->port());
  for (int i = 0; i < 3; ++i) {
    auto response = connection.Request(Get("/healthz"));
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->headers["connection"], "close");
  }
  EXPECT_EQ(registry_.GetCounter("http_connections_total", "").Value(), 1u);
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  TestConnection connection(server_->port());
  auto response = connection.Request(Get("/healthz", "Connection: close\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(connection.PeerClosed());
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  TestConnection connection(server_->port());
  ASSERT_TRUE(connection.Send(Get("/later") + Get("/healthz") + Post("/echo", "3")));
  auto first = connection.ReadResponse();
  auto second = connection.ReadResponse();
  auto third = connection.ReadResponse();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body, "later");
  EXPECT_EQ(second->body, R"({"status":"ok"})");
  EXPECT_EQ(third->body, "3");
}

TEST_F(HttpServerTest, HandlerAnswersLaterFromAnotherThread) {
  StartServer();
  TestConnection connection(server_->port());
  auto response = connection.Request(Get("/later"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "later");
  auto next = connection.Request(Get("/healthz"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, ManyConcurrentClients) {
  StartServer();
  std::vector<std::future<int>> clients;
  for (int c = 0; c < 8; ++c) {
    clients.push_back(std::async(std::launch::async, [this] {
      TestConnection connection(server_->port());
      int ok = 0;
      for (int i = 0; i < 50; ++i) {
        auto response = connection.Request(i % 2 ? Get("/later") : Post("/echo", "x"));
        if (response && response->status == 200) ++ok;
      }
      return ok;
    }));
  }
  for (auto& client : clients) EXPECT_EQ(client.get(), 50);
}

TEST_F(HttpServerTest, HandlerExceptionIs500) {
  StartServer();
  TestConnection connection(server_->port());
  auto response = connection.Request(Get("/throw"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_NE(response->body.find("\"code\":\"INTERNAL\""), std::string::npos);
  auto next = connection.Request(Get("/healthz"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, DroppedResponderIs500) {
  StartServer();
  TestConnection connection(server_->port());
  auto response = connection.Request(Get("/drop"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
}

TEST_F(HttpServerTest, SlowHandlerTimesOutWith503AndItsLateAnswerIsDropped) {
  HttpServerOptions options;
  options.handler_timeout_ms = 100;
  StartServer(options);
  TestConnection connection(server_->port());
  auto response = connection.Request(Get("/hold"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_NE(response->body.find("\"code\":\"TIMEOUT\""), std::string::npos);
  {
    std::lock_guard lock(mutex_);
    held_(Text("too late"));
  }
  auto next = connection.Request(Get("/healthz"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, R"({"status":"ok"})");
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterTimeout) {
  HttpServerOptions options;
  options.idle_timeout_ms = 100;
  StartServer(options);
  TestConnection connection(server_->port());
  ASSERT_TRUE(connection.Request(Get("/healthz")));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(connection.PeerClosed());
}

TEST_F(HttpServerTest, ResponderCalledAfterStopOrDestructionDoesNothing) {
  StartServer();
  TestConnection connection(server_->port());
  ASSERT_TRUE(connection.Send(Get("/hold")));
  for (int i = 0; i < 200; ++i) {
    std::lock_guard lock(mutex_);
    if (held_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server_->Stop();
  std::lock_guard lock(mutex_);
  ASSERT_TRUE(held_);
  Responder copy = held_;
  held_(Text("after stop"));
  server_.reset();
  held_ = nullptr;
  copy = nullptr;
}

TEST_F(HttpServerTest, BindFailureIsReported) {
  StartServer();
  HttpServerOptions options;
  options.listen_port = server_->port();
  HttpServer second(options, router_.AsHandler());
  EXPECT_NE(second.Start(), "");
  HttpServerOptions bad_address;
  bad_address.listen_address = "not an address";
  HttpServer third(bad_address, router_.AsHandler());
  EXPECT_NE(third.Start(), "");
}

TEST(HttpRequestTest, HeaderLookupIgnoresCase) {
  HttpRequest request;
  request.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", "k1"}};
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("IDEMPOTENCY-KEY"), "k1");
  EXPECT_EQ(request.Header("Authorization"), "");
}

TEST(HttpRequestTest, JsonErrorEscapesMessage) {
  HttpResponse response = JsonErrorResponse(400, "BAD_INPUT", "bad \"x\"\n\\");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error":{"code":"BAD_INPUT","message":"bad \"x\"\u000a\\"}})");
}

}  // namespace
}  // namespace qb
