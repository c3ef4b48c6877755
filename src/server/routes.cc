#include "server/routes.h"

#include <utility>

#include "base/assert.h"
#include "base/metrics.h"

namespace qb {

void Router::Add(std::string method, std::string path, HttpHandler handler) {
  QB_ASSERT(handler != nullptr);
  bool inserted = routes_[std::move(path)].emplace(std::move(method), std::move(handler)).second;
  QB_ASSERT(inserted);
}

void Router::SetFallback(HttpHandler handler) {
  QB_ASSERT(handler != nullptr);
  fallback_ = std::move(handler);
}

void Router::Handle(HttpRequest&& request, Responder respond) const {
  auto path = routes_.find(request.Path());
  if (path == routes_.end()) {
    const std::string_view request_path = request.Path();
    const bool api = request_path == "/api" || request_path.starts_with("/api/");
    if (fallback_ && !api && (request.method == "GET" || request.method == "HEAD")) {
      fallback_(std::move(request), std::move(respond));
      return;
    }
    respond(JsonErrorResponse(404, "NOT_FOUND", "no such resource"));
    return;
  }
  auto method = path->second.find(request.method);
  if (method == path->second.end()) {
    HttpResponse response =
        JsonErrorResponse(405, "METHOD_NOT_ALLOWED", "the resource does not accept this method");
    std::string allow;
    for (const auto& [name, handler] : path->second) {
      if (!allow.empty()) allow += ", ";
      allow += name;
    }
    response.headers.emplace_back("Allow", std::move(allow));
    respond(std::move(response));
    return;
  }
  method->second(std::move(request), std::move(respond));
}

HttpHandler Router::AsHandler() const {
  return [this](HttpRequest&& request, Responder respond) {
    Handle(std::move(request), std::move(respond));
  };
}

void AddOperationalRoutes(Router& router, const metrics::Registry& registry,
                          std::function<std::string()> health_problem) {
  router.Add("GET", "/healthz", [health_problem](HttpRequest&&, Responder respond) {
    const std::string problem = health_problem ? health_problem() : std::string();
    if (!problem.empty()) {
      respond(JsonErrorResponse(503, "UNAVAILABLE", problem));
      return;
    }
    HttpResponse response;
    response.body = R"({"status":"ok"})";
    respond(std::move(response));
  });
  router.Add("GET", "/metrics", [&registry](HttpRequest&&, Responder respond) {
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4";
    response.body = registry.RenderPrometheus();
    respond(std::move(response));
  });
}

}  // namespace qb
