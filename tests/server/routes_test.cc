// Router matching: exact paths, "{name}" patterns, precedence and the 404/405 answers.
#include "server/routes.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace qb {
namespace {

// A handler that answers "<tag> name=value ..." with the path parameters it was given.
HttpHandler Echo(std::string tag) {
  return [tag](HttpRequest&& request, Responder respond) {
    HttpResponse response;
    response.body = tag;
    for (const auto& [name, value] : request.path_params) response.body += " " + name + "=" + value;
    respond(std::move(response));
  };
}

class RouterPatternTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/api/v1/me/cards", Echo("list"));
    router_.Add("DELETE", "/api/v1/me/cards/{card_id}", Echo("unbind"));
    router_.Add("GET", "/api/v1/staff/customers/{id}", Echo("detail"));
    router_.Add("GET", "/api/v1/staff/customers/search", Echo("exact"));
    router_.Add("POST", "/api/v1/staff/customers/{id}/tier", Echo("tier"));
    router_.Add("GET", "/api/v1/a/{x}/b/{y}", Echo("two"));
  }

  HttpResponse Handle(std::string method, std::string target) const {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    HttpResponse answer;
    answer.status = 0;
    router_.Handle(std::move(request),
                   [&](HttpResponse response) { answer = std::move(response); });
    return answer;
  }

  static std::string Allow(const HttpResponse& response) {
    for (const auto& [name, value] : response.headers) {
      if (name == "Allow") return value;
    }
    return "";
  }

  Router router_;
};

TEST_F(RouterPatternTest, ParametersAreFilled) {
  EXPECT_EQ(Handle("DELETE", "/api/v1/me/cards/3").body, "unbind card_id=3");
  EXPECT_EQ(Handle("GET", "/api/v1/staff/customers/17?x=1").body, "detail id=17");
  EXPECT_EQ(Handle("POST", "/api/v1/staff/customers/17/tier").body, "tier id=17");
  EXPECT_EQ(Handle("GET", "/api/v1/a/1/b/2").body, "two x=1 y=2");
  EXPECT_EQ(Handle("GET", "/api/v1/me/cards").body, "list");
}

TEST_F(RouterPatternTest, ExactRoutesWinOverPatterns) {
  EXPECT_EQ(Handle("GET", "/api/v1/staff/customers/search").body, "exact");
}

TEST_F(RouterPatternTest, SegmentsMustMatchWhole) {
  for (const char* target : {"/api/v1/me/cards/", "/api/v1/me/cards/3/x", "/api/v1/me/cards//",
                             "/api/v1/staff/customers/17/tier/x", "/api/v1/a/1/c/2"}) {
    HttpResponse response = Handle("DELETE", target);
    EXPECT_EQ(response.status, 404) << target;
  }
}

TEST_F(RouterPatternTest, WrongMethodIs405WithTheAllowedOnes) {
  HttpResponse unbind = Handle("GET", "/api/v1/me/cards/3");
  EXPECT_EQ(unbind.status, 405);
  EXPECT_EQ(Allow(unbind), "DELETE");
  HttpResponse search = Handle("POST", "/api/v1/staff/customers/search");
  EXPECT_EQ(search.status, 405);
  EXPECT_EQ(Allow(search), "GET");  // The exact route's and the pattern's, once.
  HttpResponse list = Handle("DELETE", "/api/v1/me/cards");
  EXPECT_EQ(list.status, 405);
  EXPECT_EQ(Allow(list), "GET");
}

TEST(RouterPatternDeathTest, MalformedPatternsAreProgrammerErrors) {
  EXPECT_DEATH(
      {
        Router router;
        router.Add("GET", "/a/{x}/{x}", Echo("dup"));
      },
      "");
  EXPECT_DEATH(
      {
        Router router;
        router.Add("GET", "/a/x{y}", Echo("partial"));
      },
      "");
}

}  // namespace
}  // namespace qb
