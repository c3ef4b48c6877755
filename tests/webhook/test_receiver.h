// A tiny HTTP server on 127.0.0.1 with an ephemeral port, standing in for a merchant's webhook
// endpoint. Every request is recorded; a handler decides the answer, or that there is none.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace qb::webhook::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

struct Reply {
  int status = 200;  // 0: never answer; hold the connection open until the receiver stops
  std::string body = "ok";
};

class TestReceiver {
 public:
  using Handler = std::function<Reply(const ReceivedRequest&)>;

  explicit TestReceiver(Handler handler) : handler_(std::move(handler)) {
    namespace asio = boost::asio;
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~TestReceiver() {
    io_.stop();
    thread_.join();
  }

  uint16_t port() const { return port_; }
  std::string Url(const std::string& target = "/hooks/qb") const {
    return "http://127.0.0.1:" + std::to_string(port_) + target;
  }

  std::vector<ReceivedRequest> Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  size_t RequestCount() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

 private:
  using tcp = boost::asio::ip::tcp;

  struct Session {
    explicit Session(tcp::socket socket) : stream(std::move(socket)) {}
    boost::beast::tcp_stream stream;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::http::response<boost::beast::http::string_body> response;
  };

  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto session = std::make_shared<Session>(std::move(socket));
      session->stream.expires_after(std::chrono::seconds(10));
      boost::beast::http::async_read(session->stream, session->buffer, session->request,
                                     [this, session](boost::system::error_code read_error, size_t) {
                                       if (!read_error) Answer(session);
                                     });
      Accept();
    });
  }

  void Answer(const std::shared_ptr<Session>& session) {
    ReceivedRequest received;
    received.method = std::string(session->request.method_string());
    received.target = std::string(session->request.target());
    for (const auto& field : session->request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      received.headers[name] = std::string(field.value());
    }
    received.body = session->request.body();
    Reply reply = handler_(received);
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(received));
      if (reply.status == 0) {
        held_.push_back(session);  // silent: the connection stays open, nothing is written
        return;
      }
    }
    session->response.result(static_cast<unsigned>(reply.status));
    session->response.version(11);
    session->response.body() = std::move(reply.body);
    session->response.prepare_payload();
    session->response.keep_alive(false);
    boost::beast::http::async_write(
        session->stream, session->response, [session](boost::system::error_code, size_t) {
          boost::system::error_code ignored;
          session->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
  }

  Handler handler_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;       // guarded by mutex_
  std::vector<std::shared_ptr<Session>> held_;  // guarded by mutex_
};

}  // namespace qb::webhook::testing
