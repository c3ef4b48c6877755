#include "server/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "server/routes.h"

namespace qb {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndex = "<!doctype html><title>qianbao</title>";
constexpr std::string_view kSecret = "root:x:0:0:secret";

void WriteFile(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

HttpRequest Request(std::string method, std::string target) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  return request;
}

std::optional<std::string> HeaderOf(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// The security headers come from the HTTP server, for every response alike (web_security.h;
// web_security_test.cc checks static files served through it): none of them is set here, so
// there is one definition of each.
void ExpectSecurityHeadersLeftToServer(const HttpResponse& response) {
  EXPECT_EQ(HeaderOf(response, "X-Content-Type-Options"), std::nullopt);
  EXPECT_EQ(HeaderOf(response, "Referrer-Policy"), std::nullopt);
  EXPECT_EQ(HeaderOf(response, "Content-Security-Policy"), std::nullopt);
}

// A temporary tree: <base>/secret.txt outside the root, and <base>/dist as the root holding a
// built app.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("qb_static_files_test_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    WriteFile(base_ / "secret.txt", kSecret);
    WriteFile(root_ / "index.html", kIndex);
    WriteFile(root_ / "assets" / "index-abc123.js", "console.log(1)");
    WriteFile(root_ / "assets" / "index-abc123.css", "body{}");
    WriteFile(root_ / "favicon.svg", "<svg/>");
  }
  void TearDown() override { fs::remove_all(base_); }

  HttpResponse Get(std::string target) const {
    return StaticFiles(root_.string()).Respond(Request("GET", std::move(target)));
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesAnAssetWithItsTypeAndLongCache) {
  HttpResponse response = Get("/assets/index-abc123.js?v=1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(response.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "public, max-age=31536000, immutable");
  ExpectSecurityHeadersLeftToServer(response);

  response = Get("/assets/index-abc123.css");
  EXPECT_EQ(response.content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, ServesIndexWithoutCaching) {
  for (const char* target : {"/", "/index.html"}) {
    HttpResponse response = Get(target);
    EXPECT_EQ(response.status, 200) << target;
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8") << target;
    EXPECT_EQ(response.body, kIndex) << target;
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-cache") << target;
    ExpectSecurityHeadersLeftToServer(response);
  }
  HttpResponse icon = Get("/favicon.svg");
  EXPECT_EQ(icon.content_type, "image/svg+xml");
  EXPECT_EQ(HeaderOf(icon, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, FallsBackToIndexForAppRoutes) {
  for (const char* target : {"/console", "/console/", "/console/dashboard", "/home?tab=1",
                             "/assets", "/register/step-2"}) {
    HttpResponse response = Get(target);
    EXPECT_EQ(response.status, 200) << target;
    EXPECT_EQ(response.body, kIndex) << target;
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-cache") << target;
  }
}

TEST_F(StaticFilesTest, MissingFilesWithAnExtensionOrUnderApiAre404) {
  for (const char* target :
       {"/assets/missing.js", "/nothing.png", "/api/v1/balance", "/api", "/%61pi/v1/x"}) {
    HttpResponse response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.content_type, "application/json") << target;
    EXPECT_NE(response.body.find("NOT_FOUND"), std::string::npos) << target;
    ExpectSecurityHeadersLeftToServer(response);
  }
}

TEST_F(StaticFilesTest, RefusesTraversal) {
  // secret.txt sits one level above the root, /etc/passwd far above it.
  for (const char* target :
       {"/../etc/passwd", "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/x",
        "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%5csecret.txt",
        "/assets\\..\\..\\secret.txt", "/index.html%00.png", "/a/./b", "//../secret.txt",
        "/.%2e/secret.txt", "/%252e%252e/secret.txt", "/%zz", "/%2", "/assets/%"}) {
    HttpResponse response = Get(target);
    EXPECT_TRUE(response.status == 404 || response.status == 400)
        << target << " answered " << response.status;
    EXPECT_EQ(response.body.find(kSecret), std::string::npos) << target;
    EXPECT_EQ(response.body.find(kIndex), std::string::npos) << target;
    ExpectSecurityHeadersLeftToServer(response);
  }
}

TEST_F(StaticFilesTest, RefusesASymlinkLeavingTheRoot) {
  std::error_code error;
  fs::create_symlink(base_ / "secret.txt", root_ / "link.txt", error);
  if (error) GTEST_SKIP() << "cannot create symlinks here";
  HttpResponse response = Get("/link.txt");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body.find(kSecret), std::string::npos);
}

TEST_F(StaticFilesTest, HeadAnswersHeadersWithoutBody) {
  HttpResponse response =
      StaticFiles(root_.string()).Respond(Request("HEAD", "/assets/index-abc123.js"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");
  // The body is there so the server can announce its length; the server does not send it.
  EXPECT_FALSE(response.body.empty());
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "public, max-age=31536000, immutable");
  ExpectSecurityHeadersLeftToServer(response);
}

TEST_F(StaticFilesTest, OtherMethodsAre405) {
  HttpResponse response = StaticFiles(root_.string()).Respond(Request("POST", "/index.html"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(HeaderOf(response, "Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, MissingRootIs404UntilBuilt) {
  StaticFiles files((base_ / "not-built").string());
  for (const char* target : {"/", "/console", "/assets/x.js", "/../secret.txt"}) {
    HttpResponse response = files.Respond(Request("GET", target));
    EXPECT_EQ(response.status, 404) << target;
    ExpectSecurityHeadersLeftToServer(response);
  }
  WriteFile(base_ / "not-built" / "index.html", kIndex);
  EXPECT_EQ(files.Respond(Request("GET", "/console")).body, kIndex);
}

TEST_F(StaticFilesTest, RootWithoutIndexAnswers404ForAppRoutes) {
  fs::remove(root_ / "index.html");
  EXPECT_EQ(Get("/console").status, 404);
  EXPECT_EQ(Get("/assets/index-abc123.js").status, 200);
}

TEST_F(StaticFilesTest, ServeSendsThroughTheResponder) {
  std::optional<HttpResponse> answer;
  StaticFiles(root_.string()).Serve(Request("GET", "/favicon.svg"), [&](HttpResponse response) {
    answer = response;
  });
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->body, "<svg/>");
}

TEST(ContentTypeTest, KnownExtensions) {
  EXPECT_EQ(ContentTypeForPath("a.json"), "application/json");
  EXPECT_EQ(ContentTypeForPath("a.js.map"), "application/json");
  EXPECT_EQ(ContentTypeForPath("a.png"), "image/png");
  EXPECT_EQ(ContentTypeForPath("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeForPath("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeForPath("a.bin"), "application/octet-stream");
}

// The router hands unmatched GET and HEAD outside /api/ to the fallback, and nothing else.
class RouterFallbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/healthz", [](HttpRequest&&, Responder respond) {
      HttpResponse response;
      response.body = "healthy";
      respond(std::move(response));
    });
    router_.SetFallback([](HttpRequest&& request, Responder respond) {
      HttpResponse response;
      response.content_type = "text/html";
      response.body = "fallback " + request.method;
      respond(std::move(response));
    });
  }

  HttpResponse Handle(std::string method, std::string target) const {
    HttpResponse answer;
    answer.status = 0;
    router_.Handle(Request(std::move(method), std::move(target)),
                   [&](HttpResponse response) { answer = std::move(response); });
    return answer;
  }

  Router router_;
};

TEST_F(RouterFallbackTest, UnmatchedGetAndHeadGoToTheFallback) {
  EXPECT_EQ(Handle("GET", "/console/dashboard").body, "fallback GET");
  EXPECT_EQ(Handle("HEAD", "/").body, "fallback HEAD");
  EXPECT_EQ(Handle("GET", "/healthz").body, "healthy");
}

TEST_F(RouterFallbackTest, ApiPathsAndOtherMethodsStayJson404) {
  for (auto [method, target] : {std::pair{"GET", "/api/v1/nothing"}, std::pair{"GET", "/api"},
                                std::pair{"POST", "/console"}, std::pair{"DELETE", "/x"}}) {
    HttpResponse response = Handle(method, target);
    EXPECT_EQ(response.status, 404) << method << " " << target;
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_NE(response.body.find("NOT_FOUND"), std::string::npos);
  }
  EXPECT_EQ(Handle("POST", "/healthz").status, 405);
}

TEST(RouterWithoutFallbackTest, UnmatchedGetIs404) {
  Router router;
  HttpResponse answer;
  router.Handle(Request("GET", "/console"), [&](HttpResponse r) { answer = std::move(r); });
  EXPECT_EQ(answer.status, 404);
}

}  // namespace
}  // namespace qb
