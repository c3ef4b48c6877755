#include "server/static_files.h"

#include <fstream>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "server/web_security.h"

namespace qb {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCacheForever = "public, max-age=31536000, immutable";
constexpr std::string_view kCacheRevalidate = "no-cache";

HttpResponse Error(int status, std::string_view code, std::string_view message) {
  return JsonErrorResponse(status, code, message);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes once; nullopt when an escape is malformed. A decoded "%" is kept as is and
// never decoded again, so "%252e" names a file called "%2e", not "." .
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// Splits a decoded path into its non-empty segments; nullopt when any segment could climb out
// of the root or confuse the file system: "." and ".." (and every other dot file, which a
// built app does not have), backslashes, NUL and other control bytes.
std::optional<std::vector<std::string>> SafeSegments(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (!segment.empty()) {
      if (segment.front() == '.') return std::nullopt;
      for (char c : segment) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == '\\') return std::nullopt;
      }
      segments.emplace_back(segment);
    }
    start = end + 1;
  }
  return segments;
}

// True when `inside` is `root` or lies below it; both must already be canonical.
bool IsUnder(const fs::path& inside, const fs::path& root) {
  std::string root_text = root.string();
  while (root_text.size() > 1 && root_text.back() == '/') root_text.pop_back();
  const std::string inside_text = inside.string();
  if (inside_text == root_text) return true;
  const std::string prefix = root_text == "/" ? root_text : root_text + "/";
  return inside_text.compare(0, prefix.size(), prefix) == 0;
}

bool HasExtension(const std::vector<std::string>& segments) {
  return !segments.empty() && segments.back().find('.') != std::string::npos;
}

}  // namespace

std::string_view ContentTypeForPath(std::string_view path) {
  struct Entry {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Entry& entry : kTypes) {
    if (path.ends_with(entry.extension)) return entry.content_type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string root) : root_(fs::absolute(fs::path(std::move(root)))) {}

void StaticFiles::Serve(const HttpRequest& request, Responder respond) const {
  respond(Respond(request));
}

HttpResponse StaticFiles::Respond(const HttpRequest& request) const {
  const bool head = request.method == "HEAD";
  if (request.method != "GET" && !head) {
    HttpResponse response =
        Error(405, "METHOD_NOT_ALLOWED", "static files accept only GET and HEAD");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  std::optional<std::string> path = PercentDecode(request.Path());
  if (!path) return Error(400, "BAD_REQUEST", "malformed percent-encoding in the path");
  std::optional<std::vector<std::string>> segments = SafeSegments(*path);
  if (!segments) return Error(404, "NOT_FOUND", "no such resource");

  // Canonicalized per request: the root may be built (or re-linked) after the server starts.
  std::error_code error;
  const fs::path root = fs::weakly_canonical(root_, error);
  if (error || !fs::is_directory(root, error)) {
    return Error(404, "NOT_FOUND", "the web app is not built");
  }
  fs::path candidate = root;
  for (const std::string& segment : *segments) candidate /= segment;
  candidate = fs::weakly_canonical(candidate, error);
  if (error || !IsUnder(candidate, root)) return Error(404, "NOT_FOUND", "no such resource");
  if (fs::is_regular_file(candidate, error)) return ServeFile(candidate, *path);

  if (HasExtension(*segments) || IsApiPath(*path)) {
    return Error(404, "NOT_FOUND", "no such resource");
  }
  const fs::path index = root / "index.html";
  if (!fs::is_regular_file(index, error)) {
    return Error(404, "NOT_FOUND", "the web app is not built");
  }
  return ServeFile(index, "/index.html");
}

HttpResponse StaticFiles::ServeFile(const fs::path& file, std::string_view request_path) const {
  std::error_code error;
  const uintmax_t size = fs::file_size(file, error);
  if (error) return Error(404, "NOT_FOUND", "no such resource");
  if (size > kMaxFileBytes) return Error(500, "FILE_TOO_LARGE", "the file is too large to serve");

  HttpResponse response;
  response.content_type = std::string(ContentTypeForPath(file.filename().string()));
  const bool immutable = request_path.starts_with("/assets/") && file.filename() != "index.html";
  response.headers.emplace_back("Cache-Control",
                                std::string(immutable ? kCacheForever : kCacheRevalidate));
  // HEAD is answered like GET: the HTTP server sends the headers, with the body's length,
  // and leaves the body out.

  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(404, "NOT_FOUND", "no such resource");
  // Reads at most the size checked above, even if the file grew since.
  std::string body(static_cast<size_t>(size), '\0');
  in.read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return Error(500, "INTERNAL", "the file could not be read");
  response.body = std::move(body);
  return response;
}

}  // namespace qb
