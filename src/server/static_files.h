// Serves the built web app (web/dist) from a directory: the customer H5 under /, the staff
// console under /console, both one single-page app routed in the browser.
//
// Only GET and HEAD. A request path is percent-decoded once, refused when it holds "..", ".",
// a backslash, NUL or another control byte, then resolved under the root with
// std::filesystem::weakly_canonical and served only when the result still lies under the root
// (so a symlink pointing out of the root is refused too). A path that names no file, has no
// file extension and is not under /api/ is answered with index.html, so that a deep link such
// as /console/dashboard loads the app, which then routes itself.
//
// The security headers (nosniff, the Content-Security-Policy, no referrer, no framing) are not
// added here: the HTTP server adds them to every response it writes (web_security.h). index.html
// is "no-cache"; files under /assets/ carry a content hash in their names and are cached for a
// year as immutable.
//
// Files are read from disk on every request, up to kMaxFileBytes. Thread-safe: Serve keeps no
// state between calls.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "server/http_server.h"

namespace qb {

class StaticFiles {
 public:
  // The largest file served; a larger one is answered 500 FILE_TOO_LARGE. The app's bundles are
  // a few MiB at most, so this only guards against a stray file in the directory.
  static constexpr uint64_t kMaxFileBytes = 32ull * 1024 * 1024;

  // `root` need not exist yet: a missing root (the app not built) is answered 404 per request,
  // so the server can start before `npm run build` has been run.
  explicit StaticFiles(std::string root);

  // Answers the request at once, on the calling thread. Suits Router::SetFallback.
  void Serve(const HttpRequest& request, Responder respond) const;

  // The same answer as Serve, returned instead of sent.
  HttpResponse Respond(const HttpRequest& request) const;

 private:
  HttpResponse ServeFile(const std::filesystem::path& file, std::string_view request_path) const;

  std::filesystem::path root_;
};

// The Content-Type for a file name, chosen by its extension; application/octet-stream when the
// extension is unknown.
std::string_view ContentTypeForPath(std::string_view path);

}  // namespace qb
