#include "server/routes.h"

#include <utility>

#include "base/assert.h"
#include "base/metrics.h"

namespace qb {
namespace {

// Splits "/a/b/c" into "a", "b", "c". A trailing slash gives an empty last segment, so
// "/a/" does not match "/a/{x}".
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.starts_with('/')) path.remove_prefix(1);
  for (;;) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

void AddAllowed(std::string* allow, std::string_view method) {
  // The list is short (a handful of methods), so a linear search is fine.
  std::string_view rest = *allow;
  while (!rest.empty()) {
    const size_t comma = rest.find(", ");
    if (rest.substr(0, comma) == method) return;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  if (!allow->empty()) *allow += ", ";
  *allow += method;
}

}  // namespace

void Router::Add(std::string method, std::string path, HttpHandler handler) {
  QB_ASSERT(handler != nullptr);
  if (path.find('{') == std::string::npos) {
    QB_ASSERT(path.find('}') == std::string::npos);
    bool inserted = routes_[std::move(path)].emplace(std::move(method), std::move(handler)).second;
    QB_ASSERT(inserted);
    return;
  }
  Pattern pattern;
  for (std::string_view segment : SplitPath(path)) {
    const bool is_param = segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
    std::string text(is_param ? segment.substr(1, segment.size() - 2) : segment);
    QB_ASSERT(text.find_first_of("{}") == std::string::npos);
    if (is_param) {
      for (const auto& [name, param] : pattern.segments) QB_ASSERT(!param || name != text);
    }
    pattern.segments.emplace_back(std::move(text), is_param);
  }
  for (const Pattern& existing : patterns_) {
    QB_ASSERT(existing.path != path || existing.method != method);
  }
  pattern.method = std::move(method);
  pattern.path = std::move(path);
  pattern.handler = std::move(handler);
  patterns_.push_back(std::move(pattern));
}

void Router::SetFallback(HttpHandler handler) {
  QB_ASSERT(handler != nullptr);
  fallback_ = std::move(handler);
}

bool Router::Matches(const Pattern& pattern, std::string_view path,
                     std::vector<std::pair<std::string, std::string>>* params) {
  const std::vector<std::string_view> segments = SplitPath(path);
  if (segments.size() != pattern.segments.size()) return false;
  for (size_t i = 0; i < segments.size(); i++) {
    const auto& [text, is_param] = pattern.segments[i];
    if (is_param ? segments[i].empty() : segments[i] != text) return false;
  }
  if (params != nullptr) {
    params->clear();
    for (size_t i = 0; i < segments.size(); i++) {
      if (pattern.segments[i].second) {
        params->emplace_back(pattern.segments[i].first, std::string(segments[i]));
      }
    }
  }
  return true;
}

void Router::ForEachRoute(
    const std::function<void(std::string_view method, std::string_view path)>& visit) const {
  for (const auto& [path, methods] : routes_) {
    for (const auto& [method, handler] : methods) visit(method, path);
  }
  for (const Pattern& pattern : patterns_) visit(pattern.method, pattern.path);
}

void Router::Handle(HttpRequest&& request, Responder respond) const {
  const std::string_view request_path = request.Path();
  std::string allow;
  auto path = routes_.find(request_path);
  if (path != routes_.end()) {
    auto method = path->second.find(request.method);
    if (method != path->second.end()) {
      method->second(std::move(request), std::move(respond));
      return;
    }
    for (const auto& [name, handler] : path->second) AddAllowed(&allow, name);
  }
  for (const Pattern& pattern : patterns_) {
    if (!Matches(pattern, request_path, nullptr)) continue;
    if (pattern.method != request.method) {
      AddAllowed(&allow, pattern.method);
      continue;
    }
    Matches(pattern, request_path, &request.path_params);
    pattern.handler(std::move(request), std::move(respond));
    return;
  }
  AnswerNotFoundOrNotAllowed(std::move(request), std::move(respond), std::move(allow));
}

void Router::AnswerNotFoundOrNotAllowed(HttpRequest&& request, Responder respond,
                                        std::string allow) const {
  if (allow.empty()) {
    const std::string_view request_path = request.Path();
    const bool api = request_path == "/api" || request_path.starts_with("/api/");
    if (fallback_ && !api && (request.method == "GET" || request.method == "HEAD")) {
      fallback_(std::move(request), std::move(respond));
      return;
    }
    respond(JsonErrorResponse(404, "NOT_FOUND", "no such resource"));
    return;
  }
  HttpResponse response =
      JsonErrorResponse(405, "METHOD_NOT_ALLOWED", "the resource does not accept this method");
  response.headers.emplace_back("Allow", std::move(allow));
  respond(std::move(response));
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
