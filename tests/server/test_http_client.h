// A minimal blocking HTTP/1.1 client over POSIX sockets, for tests only: it talks to loopback,
// understands Content-Length bodies, and gives up after a timeout rather than hang a test.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace qb::test_support {

struct TestResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // Names in lower case.
  std::string body;
};

class TestConnection {
 public:
  // `source_address`, when given, is the local IPv4 address to connect from, e.g. "127.0.0.2"
  // (any 127/8 address is loopback on Linux), for tests that need a second client address.
  explicit TestConnection(uint16_t port, int timeout_ms = 5000,
                          const char* source_address = nullptr) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    if (source_address != nullptr) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      if (inet_pton(AF_INET, source_address, &local.sin_addr) != 1 ||
          bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
        return;  // Not connected.
      }
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~TestConnection() {
    if (fd_ >= 0) close(fd_);
  }
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response, or nothing when the connection closed or timed out first.
  std::optional<TestResponse> ReadResponse() {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    TestResponse response;
    std::string_view head(buffer_.data(), header_end);
    size_t line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12) return std::nullopt;
    response.status = std::stoi(std::string(status_line.substr(9, 3)));
    while (line_end != std::string_view::npos) {
      head.remove_prefix(line_end + 2);
      line_end = head.find("\r\n");
      std::string_view line = head.substr(0, line_end);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name(line.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers[name] = std::string(value);
    }
    size_t body_bytes = 0;
    if (auto it = response.headers.find("content-length"); it != response.headers.end()) {
      body_bytes = std::stoul(it->second);
    }
    size_t body_start = header_end + 4;
    while (buffer_.size() < body_start + body_bytes) {
      if (!Fill()) return std::nullopt;
    }
    response.body = buffer_.substr(body_start, body_bytes);
    buffer_.erase(0, body_start + body_bytes);
    return response;
  }

  // True when the server closed the connection (rather than the read timing out).
  bool PeerClosed() {
    char byte;
    return buffer_.empty() && recv(fd_, &byte, 1, 0) == 0;
  }

  std::optional<TestResponse> Request(std::string_view raw) {
    if (!Send(raw)) return std::nullopt;
    return ReadResponse();
  }

 private:
  bool Fill() {
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

inline std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         std::string(extra_headers) + "\r\n";
}

inline std::string Post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace qb::test_support
