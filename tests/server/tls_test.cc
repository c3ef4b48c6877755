// HTTPS: a round trip verified against a certificate made at test time, the security headers
// over TLS (HSTS included), and the refusals: plain HTTP on the TLS port, old protocols, and
// certificate or key files that are missing or do not match.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>
#include <optional>
#include <string>

#include "server/http_server.h"
#include "server/log.h"
#include "server/routes.h"
#include "server/tls_context.h"
#include "test_http_client.h"
#include "tls_test_support.h"

namespace qb {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using test_support::Get;
using test_support::TestConnection;
using test_support::TlsFiles;

struct HttpsResult {
  std::string handshake_error;  // "" when the handshake succeeded.
  std::optional<http::response<http::string_body>> response;
};

// One request over a fresh TLS connection that trusts only `trusted_cert` and checks that it
// names 127.0.0.1. `max_version`, when given, caps the client's protocol version.
HttpsResult HttpsRequest(uint16_t port, const std::string& trusted_cert, http::verb method,
                         const std::string& target, int max_version = 0) {
  HttpsResult result;
  asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  context.load_verify_file(trusted_cert);
  context.set_verify_mode(ssl::verify_peer);
  if (max_version != 0) {
    // Lets the client offer what OpenSSL's default security level would not.
    SSL_CTX_set_security_level(context.native_handle(), 0);
    SSL_CTX_set_min_proto_version(context.native_handle(), 0);
    SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
  }
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  beast::error_code ec;
  beast::get_lowest_layer(stream).socket().connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    result.handshake_error = "connect: " + ec.message();
    return result;
  }
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) {
    result.handshake_error = ec.message();
    return result;
  }
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (method == http::verb::post) {
    request.set(http::field::content_type, "application/json");
    request.body() = "{\"x\":1}";
    request.prepare_payload();
  }
  http::write(stream, request, ec);
  if (ec) return result;
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response, ec);
  if (!ec) result.response = std::move(response);
  stream.shutdown(ec);
  return result;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetupLogging("off");
    ASSERT_TRUE(files_.ok());
    router_.Add("POST", "/api/v1/echo", [](HttpRequest&& request, Responder respond) {
      HttpResponse response;
      response.body = request.body;
      respond(std::move(response));
    });
    router_.Add("GET", "/healthz", [](HttpRequest&&, Responder respond) {
      HttpResponse response;
      response.body = R"({"status":"ok"})";
      respond(std::move(response));
    });
  }

  HttpServerOptions Options(std::string cert, std::string key) {
    HttpServerOptions options;
    options.listen_address = "127.0.0.1";
    options.listen_port = 0;
    options.io_threads = 2;
    options.idle_timeout_ms = 2000;
    options.tls_certificate_chain_file = std::move(cert);
    options.tls_private_key_file = std::move(key);
    return options;
  }

  // Starts a server with the given files; returns Start()'s answer.
  std::string Start(std::string cert, std::string key) {
    server_ =
        std::make_unique<HttpServer>(Options(std::move(cert), std::move(key)), router_.AsHandler());
    return server_->Start();
  }

  TlsFiles files_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(TlsTest, HttpsRoundTripVerifiedAgainstTheCertificate) {
  ASSERT_EQ(Start(files_.cert_path(), files_.key_path()), "");
  EXPECT_TRUE(server_->tls());
  HttpsResult get = HttpsRequest(server_->port(), files_.cert_path(), http::verb::get, "/healthz");
  ASSERT_EQ(get.handshake_error, "");
  ASSERT_TRUE(get.response);
  EXPECT_EQ(get.response->result_int(), 200);
  EXPECT_EQ(get.response->body(), R"({"status":"ok"})");
  EXPECT_EQ((*get.response)["Strict-Transport-Security"], "max-age=31536000; includeSubDomains");
  EXPECT_EQ((*get.response)["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ((*get.response)["X-Frame-Options"], "DENY");

  HttpsResult post =
      HttpsRequest(server_->port(), files_.cert_path(), http::verb::post, "/api/v1/echo");
  ASSERT_TRUE(post.response) << post.handshake_error;
  EXPECT_EQ(post.response->body(), "{\"x\":1}");
  EXPECT_EQ((*post.response)["Cache-Control"], "no-store");
  EXPECT_EQ((*post.response)["Strict-Transport-Security"], "max-age=31536000; includeSubDomains");

  HttpsResult missing =
      HttpsRequest(server_->port(), files_.cert_path(), http::verb::get, "/api/v1/nothing");
  ASSERT_TRUE(missing.response);
  EXPECT_EQ(missing.response->result_int(), 404);
  EXPECT_EQ((*missing.response)["Strict-Transport-Security"],
            "max-age=31536000; includeSubDomains");
}

TEST_F(TlsTest, ClientTrustingAnotherCertificateFailsTheHandshake) {
  ASSERT_EQ(Start(files_.cert_path(), files_.key_path()), "");
  TlsFiles other;
  ASSERT_TRUE(other.ok());
  HttpsResult result =
      HttpsRequest(server_->port(), other.cert_path(), http::verb::get, "/healthz");
  EXPECT_NE(result.handshake_error, "");
  EXPECT_FALSE(result.response);
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortGetsNoHttpAnswer) {
  ASSERT_EQ(Start(files_.cert_path(), files_.key_path()), "");
  TestConnection connection(server_->port(), 3000);
  ASSERT_TRUE(connection.connected());
  EXPECT_FALSE(connection.Request(Get("/healthz")));
  // The server is still fine for TLS clients afterwards.
  HttpsResult result =
      HttpsRequest(server_->port(), files_.cert_path(), http::verb::get, "/healthz");
  ASSERT_TRUE(result.response) << result.handshake_error;
  EXPECT_EQ(result.response->result_int(), 200);
}

TEST_F(TlsTest, ProtocolsOlderThanTls12AreRefused) {
  ASSERT_EQ(Start(files_.cert_path(), files_.key_path()), "");
  HttpsResult tls11 = HttpsRequest(server_->port(), files_.cert_path(), http::verb::get, "/healthz",
                                   TLS1_1_VERSION);
  EXPECT_NE(tls11.handshake_error, "");
  EXPECT_FALSE(tls11.response);
  HttpsResult tls12 = HttpsRequest(server_->port(), files_.cert_path(), http::verb::get, "/healthz",
                                   TLS1_2_VERSION);
  EXPECT_EQ(tls12.handshake_error, "");
  EXPECT_TRUE(tls12.response);
}

TEST_F(TlsTest, MissingKeyFileIsAClearStartError) {
  std::string error = Start(files_.cert_path(), files_.missing_path());
  EXPECT_NE(error.find("TLS private key file"), std::string::npos) << error;
  EXPECT_NE(error.find(files_.missing_path()), std::string::npos) << error;
  EXPECT_NE(error.find("No such file"), std::string::npos) << error;
  EXPECT_FALSE(server_->tls());
}

TEST_F(TlsTest, MissingCertificateFileIsAClearStartError) {
  std::string error = Start(files_.missing_path(), files_.key_path());
  EXPECT_NE(error.find("TLS certificate file"), std::string::npos) << error;
  EXPECT_NE(error.find(files_.missing_path()), std::string::npos) << error;
}

TEST_F(TlsTest, KeyOfAnotherCertificateIsRefused) {
  std::string error = Start(files_.cert_path(), files_.other_key_path());
  EXPECT_NE(error.find(files_.other_key_path()), std::string::npos) << error;
  EXPECT_NE(error.find("match"), std::string::npos) << error;
  EXPECT_EQ(CheckTlsFiles(files_.cert_path(), files_.other_key_path()), error);
  EXPECT_EQ(CheckTlsFiles(files_.cert_path(), files_.key_path()), "");
}

TEST_F(TlsTest, NonPemFilesAndHalfAConfigurationAreRefused) {
  const std::string garbage = (files_.dir() / "garbage.pem").string();
  std::ofstream(garbage) << "not a certificate\n";
  EXPECT_NE(Start(garbage, files_.key_path()).find("no usable PEM certificate"), std::string::npos);
  EXPECT_NE(Start(files_.cert_path(), garbage).find("no usable"), std::string::npos);
  EXPECT_NE(Start(files_.cert_path(), "").find("both"), std::string::npos);
  EXPECT_NE(Start("", files_.key_path()).find("both"), std::string::npos);
}

}  // namespace
}  // namespace qb
