// Maps a request's method and path to its handler. A registered path is either exact
// ("/api/v1/me") or a pattern with "{name}" segments ("/api/v1/me/cards/{card_id}"), where a
// parameter matches one non-empty path segment and is handed to the handler in
// HttpRequest::path_params. The query string is ignored. An exact route wins over a pattern;
// among patterns, the one registered first wins.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_server.h"

namespace qb {

namespace metrics {
class Registry;
}

class Router {
 public:
  // Registers a handler. Call before the server starts: Handle does not lock. Registering the
  // same method and path twice is a programmer error, as is a malformed pattern (a segment
  // that is not exactly "{name}" but holds a brace, or a parameter name used twice).
  void Add(std::string method, std::string path, HttpHandler handler);

  // Sets the handler for GET and HEAD requests whose path matches no route and is not under
  // /api/ (the web app's static files). Call before the server starts, like Add.
  void SetFallback(HttpHandler handler);

  // Calls the matching handler (exact path first, then patterns), or the fallback for an unknown
  // path asked with GET or HEAD outside /api/, or else answers 404 NOT_FOUND for an unknown path
  // and 405 METHOD_NOT_ALLOWED (with an Allow header) for a known path asked with another method.
  // Safe to call from several threads at once.
  void Handle(HttpRequest&& request, Responder respond) const;

  // Calls visit(method, path) for every registered route, patterns as written ("{name}").
  void ForEachRoute(
      const std::function<void(std::string_view method, std::string_view path)>& visit) const;

  // Adapts the router to the server's handler type; the router must outlive the server.
  HttpHandler AsHandler() const;

 private:
  struct Pattern {
    std::string method;
    std::string path;
    // Literal text, or the parameter's name when `is_param`.
    std::vector<std::pair<std::string, bool>> segments;
    HttpHandler handler;
  };
  // True when `path` matches the pattern; fills `params` when given.
  static bool Matches(const Pattern& pattern, std::string_view path,
                      std::vector<std::pair<std::string, std::string>>* params);
  void AnswerNotFoundOrNotAllowed(HttpRequest&& request, Responder respond,
                                  std::string allow) const;

  // Path, then method. std::less<> lets a string_view look a path up without a copy.
  std::map<std::string, std::map<std::string, HttpHandler, std::less<>>, std::less<>> routes_;
  std::vector<Pattern> patterns_;  // In registration order.
  HttpHandler fallback_;
};

// GET /healthz answers {"status":"ok"}, or 503 UNAVAILABLE with the text `health_problem`
// returns when that is not empty; GET /metrics answers registry.RenderPrometheus() as
// text/plain; version=0.0.4. The registry must outlive the router.
void AddOperationalRoutes(Router& router, const metrics::Registry& registry,
                          std::function<std::string()> health_problem = {});

}  // namespace qb
