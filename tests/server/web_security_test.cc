// The security headers on every kind of response over plain HTTP (and HSTS only when TLS is
// in front), and the cross-site refusal of state-changing console and portal requests.
#include "server/web_security.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "api/errors.h"
#include "base/metrics.h"
#include "server/log.h"
#include "server/routes.h"
#include "server/static_files.h"
#include "test_http_client.h"

namespace qb {
namespace {

using test_support::Get;
using test_support::TestConnection;
using test_support::TestResponse;

HttpResponse Json(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

void ExpectSecurityHeaders(const TestResponse& response, const std::string& what) {
  EXPECT_EQ(response.headers.at("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(response.headers.at("x-frame-options"), "DENY") << what;
  EXPECT_EQ(response.headers.at("referrer-policy"), "no-referrer") << what;
  EXPECT_EQ(response.headers.at("content-security-policy"), kContentSecurityPolicy) << what;
  EXPECT_NE(response.headers.at("content-security-policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(response.headers.count("strict-transport-security"), 0u) << what;
  EXPECT_EQ(response.headers.count("set-cookie"), 0u) << what;
}

class WebSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetupLogging("off");
    root_ = std::filesystem::temp_directory_path() /
            ("qb_web_security_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<!doctype html><title>qianbao</title>";
    std::ofstream(root_ / "assets" / "app-1234.js") << "console.log(1)";
    static_files_ = std::make_unique<StaticFiles>(root_.string());
    AddOperationalRoutes(router_, registry_);
    router_.Add("GET", "/api/v1/thing",
                [](HttpRequest&&, Responder respond) { respond(Json(R"({"ok":true})")); });
    router_.Add("GET", "/api/v1/private", [](HttpRequest&&, Responder respond) {
      HttpResponse response = Json("{}");
      response.headers.emplace_back("Cache-Control", "private, no-store");
      respond(std::move(response));
    });
    for (const char* path : {"/api/v1/staff/customers/{id}/freeze", "/api/v1/merchant/refunds",
                             "/api/v1/me/transfers"}) {
      for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "GET"}) {
        router_.Add(method, path,
                    [](HttpRequest&&, Responder respond) { respond(Json(R"({"done":true})")); });
      }
    }
    router_.SetFallback([this](HttpRequest&& request, Responder respond) {
      static_files_->Serve(request, std::move(respond));
    });
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(root_);
  }

  void StartServer(bool tls_terminated_by_proxy = false) {
    HttpServerOptions options;
    options.listen_address = "127.0.0.1";
    options.listen_port = 0;
    options.max_body_bytes = 64;
    options.tls_terminated_by_proxy = tls_terminated_by_proxy;
    server_ = std::make_unique<HttpServer>(options, router_.AsHandler());
    ASSERT_EQ(server_->Start(), "");
    EXPECT_FALSE(server_->tls());
  }

  std::string Host() const { return "127.0.0.1:" + std::to_string(server_->port()); }

  // A state-changing request with the given extra header lines ("Name: value\r\n" each).
  TestResponse Send(const std::string& method, const std::string& target,
                    const std::string& extra_headers) {
    TestConnection connection(server_->port());
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: " + Host() +
                      "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n" +
                      extra_headers + "\r\n{}";
    std::optional<TestResponse> response = connection.Request(raw);
    EXPECT_TRUE(response) << method << " " << target;
    return response.value_or(TestResponse{});
  }

  std::filesystem::path root_;
  std::unique_ptr<StaticFiles> static_files_;
  metrics::Registry registry_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(WebSecurityTest, EveryKindOfResponseCarriesTheHeaders) {
  StartServer();
  TestConnection connection(server_->port());
  struct Case {
    std::string target;
    int status;
    std::string cache_control;  // "" when none is expected.
  };
  const Case cases[] = {
      {"/api/v1/thing", 200, "no-store"},             // API JSON
      {"/api/v1/nothing", 404, "no-store"},           // API error from the router
      {"/api/v1/private", 200, "private, no-store"},  // The handler's own value is kept.
      {"/healthz", 200, ""},
      {"/metrics", 200, ""},
      {"/", 200, "no-cache"},                                               // The app's index.html
      {"/assets/app-1234.js", 200, "public, max-age=31536000, immutable"},  // A static file
      {"/assets/missing.js", 404, ""},                                      // A static error
  };
  for (const Case& c : cases) {
    std::optional<TestResponse> response = connection.Request(Get(c.target));
    ASSERT_TRUE(response) << c.target;
    EXPECT_EQ(response->status, c.status) << c.target;
    ExpectSecurityHeaders(*response, c.target);
    if (c.cache_control.empty()) {
      EXPECT_EQ(response->headers.count("cache-control"), 0u) << c.target;
    } else {
      EXPECT_EQ(response->headers["cache-control"], c.cache_control) << c.target;
    }
  }
  // The server's own answers too: a body over the limit is refused before any handler runs.
  std::optional<TestResponse> too_large = connection.Request(
      "POST /api/v1/me/transfers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" +
      std::string(100, 'a'));
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  ExpectSecurityHeaders(*too_large, "413");
  EXPECT_EQ(too_large->headers["cache-control"], "no-store");
}

TEST_F(WebSecurityTest, HstsWhenAProxyInFrontTerminatesTls) {
  StartServer(/*tls_terminated_by_proxy=*/true);
  TestConnection connection(server_->port());
  for (const char* target : {"/healthz", "/api/v1/thing", "/"}) {
    std::optional<TestResponse> response = connection.Request(Get(target));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->headers["strict-transport-security"], "max-age=31536000; includeSubDomains")
        << target;
  }
}

TEST_F(WebSecurityTest, CrossSiteStateChangesToConsoleAndPortalAreRefused) {
  StartServer();
  const std::string guarded[] = {"/api/v1/staff/customers/7/freeze", "/api/v1/merchant/refunds"};
  const std::string refused_headers[] = {
      "Sec-Fetch-Site: cross-site\r\n",
      "Sec-Fetch-Site: Cross-Site\r\nOrigin: http://" + Host() + "\r\n",
      "Origin: https://evil.example\r\n",
      "Origin: http://127.0.0.1:1\r\n",  // Another port is another origin.
      "Origin: null\r\n",
      "Origin: \r\n",
  };
  for (const std::string& target : guarded) {
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
      for (const std::string& headers : refused_headers) {
        TestResponse response = Send(method, target, headers);
        EXPECT_EQ(response.status, 403) << method << " " << target << " " << headers;
        EXPECT_NE(response.body.find("\"CSRF_REJECTED\""), std::string::npos) << response.body;
        ExpectSecurityHeaders(response, "403");
        EXPECT_EQ(response.headers["cache-control"], "no-store");
      }
    }
  }
}

TEST_F(WebSecurityTest, SameOriginAndServerToServerRequestsAreAllowed) {
  StartServer();
  const std::string allowed_headers[] = {
      "",  // A server-to-server client: no Origin, no Sec-Fetch-Site.
      "Origin: http://" + Host() + "\r\n",
      "Origin: HTTPS://" + Host() + "\r\nSec-Fetch-Site: same-origin\r\n",  // TLS at a proxy.
      "Sec-Fetch-Site: same-origin\r\n",
      "Sec-Fetch-Site: none\r\n",  // Typed into the address bar, a bookmark.
  };
  for (const char* target : {"/api/v1/staff/customers/7/freeze", "/api/v1/merchant/refunds"}) {
    for (const std::string& headers : allowed_headers) {
      TestResponse response = Send("POST", target, headers);
      EXPECT_EQ(response.status, 200) << target << " " << headers << response.body;
    }
  }
  // Reads, and paths outside the console and the portal, are not guarded here.
  TestConnection connection(server_->port());
  std::optional<TestResponse> read =
      connection.Request(Get("/api/v1/merchant/refunds",
                             "Sec-Fetch-Site: cross-site\r\nOrigin: https://evil.example\r\n"));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(Send("POST", "/api/v1/me/transfers", "Sec-Fetch-Site: cross-site\r\n").status, 200);
}

TEST(WebSecurity, CrossSiteDecisionIsPure) {
  auto request = [](std::string method, std::string target,
                    std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(headers);
    return r;
  };
  EXPECT_TRUE(IsCrossSiteStateChange(request(
      "POST", "/api/v1/staff/x?y=1", {{"host", "a.example"}, {"origin", "https://b.example"}})));
  EXPECT_FALSE(IsCrossSiteStateChange(request(
      "POST", "/api/v1/staff/x", {{"Host", "A.example"}, {"Origin", "https://a.EXAMPLE"}})));
  // No Host to compare with: an Origin cannot be confirmed.
  EXPECT_TRUE(
      IsCrossSiteStateChange(request("DELETE", "/api/v1/merchant/x", {{"Origin", "https://a"}})));
  // An origin with a path is not an origin a browser sends.
  EXPECT_TRUE(IsCrossSiteStateChange(
      request("PUT", "/api/v1/merchant/x", {{"Host", "a"}, {"Origin", "https://a/x"}})));
  EXPECT_FALSE(
      IsCrossSiteStateChange(request("POST", "/api/v1/staffing", {{"Origin", "https://b"}})));
  EXPECT_FALSE(
      IsCrossSiteStateChange(request("OPTIONS", "/api/v1/staff/x", {{"Origin", "https://b"}})));
  EXPECT_FALSE(IsCrossSiteStateChange(
      request("HEAD", "/api/v1/staff/x", {{"Sec-Fetch-Site", "cross-site"}})));
  EXPECT_FALSE(IsCrossSiteStateChange(
      request("POST", "/api/v1/staff/x", {{"Sec-Fetch-Site", "same-site"}})));
}

TEST(WebSecurity, RefusalCodeIsInTheApiErrorTable) {
  const api::ErrorCodeInfo& info = api::ErrorCodeInfoOf(api::ErrorCode::kCsrfRejected);
  EXPECT_EQ(info.name, kCsrfRejectedCode);
  EXPECT_EQ(info.http_status, 403);
  HttpResponse response = CsrfRejectedResponse();
  EXPECT_EQ(response.status, 403);
  EXPECT_NE(response.body.find("\"CSRF_REJECTED\""), std::string::npos);
}

}  // namespace
}  // namespace qb
