// Starts the real qianbaod binary on an ephemeral loopback port with a temporary data dir, learns
// the port from its "listening" log line, talks HTTP to it and stops it with SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "test_http_client.h"
#include "tls_test_support.h"

extern char** environ;

namespace qb {
namespace {

using test_support::Get;
using test_support::TestConnection;

class Qianbaod {
 public:
  // Starts the binary with the given extra arguments and QIANBAO_* variables; any QIANBAO_*
  // variable of the test's own environment is left out so it cannot leak in.
  Qianbaod(std::vector<std::string> args, std::vector<std::string> qianbao_env) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return;
    stderr_fd_ = pipe_fds[0];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);

    std::vector<std::string> env = std::move(qianbao_env);
    for (char** variable = environ; *variable != nullptr; ++variable) {
      if (std::strncmp(*variable, "QIANBAO_", 8) != 0) env.emplace_back(*variable);
    }
    args.insert(args.begin(), QIANBAOD_PATH);
    std::vector<char*> argv = Pointers(args);
    std::vector<char*> envp = Pointers(env);
    spawned_ = posix_spawn(&pid_, QIANBAOD_PATH, &actions, nullptr, argv.data(), envp.data()) == 0;
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
  }

  ~Qianbaod() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stderr_fd_ >= 0) close(stderr_fd_);
  }

  bool spawned() const { return spawned_; }

  // Reads stderr until a line contains `needle`, the stream ends or the timeout passes. Returns
  // that line, or "" when none came.
  std::string WaitForLine(const std::string& needle, int timeout_ms = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      size_t newline;
      while ((newline = output_.find('\n', scanned_)) != std::string::npos) {
        std::string line = output_.substr(scanned_, newline - scanned_);
        scanned_ = newline + 1;
        if (line.find(needle) != std::string::npos) return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "";
      pollfd fd{stderr_fd_, POLLIN, 0};
      if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) return "";
      char chunk[1024];
      ssize_t n = read(stderr_fd_, chunk, sizeof(chunk));
      if (n <= 0) return "";
      output_.append(chunk, static_cast<size_t>(n));
    }
  }

  // Waits for the process to end; returns its exit status, or -1 on a signal or timeout.
  int WaitForExit(int timeout_ms = 10000) {
    for (int waited_ms = 0; waited_ms < timeout_ms; waited_ms += 10) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  pid_t pid() const { return pid_; }
  const std::string& output() const { return output_; }

 private:
  static std::vector<char*> Pointers(std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (std::string& s : strings) pointers.push_back(s.data());
    pointers.push_back(nullptr);
    return pointers;
  }

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  bool spawned_ = false;
  bool exited_ = false;
  std::string output_;
  size_t scanned_ = 0;
};

// The shape of a log line's timestamp field: D for a digit, every other character literal.
constexpr std::string_view kTimestampField = "ts=DDDD-DD-DDTDD:DD:DD.DDDZ";

bool IsLogTimestamp(std::string_view line) {
  if (line.size() < kTimestampField.size()) return false;
  for (size_t i = 0; i < kTimestampField.size(); ++i) {
    bool digit = line[i] >= '0' && line[i] <= '9';
    if (kTimestampField[i] == 'D' ? !digit : line[i] != kTimestampField[i]) return false;
  }
  return true;
}

class QianbaodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ =
        std::filesystem::temp_directory_path() / ("qb_qianbaod_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(data_dir_);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  std::filesystem::path data_dir_;
};

TEST_F(QianbaodTest, ServesHealthzAndStopsCleanlyOnSigterm) {
  Qianbaod server({}, {"QIANBAO_LISTEN_ADDRESS=127.0.0.1", "QIANBAO_LISTEN_PORT=0",
                       "QIANBAO_DATA_DIR=" + data_dir_.string()});
  ASSERT_TRUE(server.spawned());
  std::string line = server.WaitForLine("msg=\"listening\"");
  ASSERT_NE(line, "") << server.output();
  // ts=2024-05-01T08:30:00.123Z level=info msg="listening" address=127.0.0.1 port=NNNNN
  ASSERT_TRUE(IsLogTimestamp(line)) << line;
  std::string_view rest = std::string_view(line).substr(kTimestampField.size());
  constexpr std::string_view kExpected = " level=info msg=\"listening\" address=127.0.0.1 port=";
  ASSERT_EQ(rest.substr(0, kExpected.size()), kExpected) << line;
  uint16_t port = static_cast<uint16_t>(std::stoi(std::string(rest.substr(kExpected.size()))));

  TestConnection connection(port);
  auto health = connection.Request(Get("/healthz"));
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"({"status":"ok"})");
  auto metrics = connection.Request(Get("/metrics"));
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("http_requests_total{status=\"200\"} 1"), std::string::npos);
  auto missing = connection.Request(Get("/api/v1/nothing"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  EXPECT_NE(server.WaitForLine("msg=\"stopped\""), "") << server.output();
  EXPECT_EQ(server.WaitForExit(), 0);
}

TEST_F(QianbaodTest, BadConfigurationExitsWithAClearError) {
  Qianbaod server({"--config", (data_dir_ / "missing.toml").string()}, {});
  ASSERT_TRUE(server.spawned());
  EXPECT_NE(server.WaitForLine("missing.toml"), "") << server.output();
  EXPECT_EQ(server.WaitForExit(), 2);
}

TEST_F(QianbaodTest, ReservedPostgresBackendIsRefused) {
  Qianbaod server({}, {"QIANBAO_STORE_BACKEND=postgres"});
  ASSERT_TRUE(server.spawned());
  EXPECT_NE(server.WaitForLine("not supported yet"), "") << server.output();
  EXPECT_EQ(server.WaitForExit(), 2);
}

TEST_F(QianbaodTest, MissingTlsKeyFileRefusesToStartWithAClearError) {
  test_support::TlsFiles files;
  ASSERT_TRUE(files.ok());
  Qianbaod server(
      {}, {"QIANBAO_LISTEN_ADDRESS=127.0.0.1", "QIANBAO_LISTEN_PORT=0",
           "QIANBAO_DATA_DIR=" + data_dir_.string(), "QIANBAO_TLS_CERT=" + files.cert_path(),
           "QIANBAO_TLS_KEY=" + files.missing_path()});
  ASSERT_TRUE(server.spawned());
  std::string line = server.WaitForLine("TLS private key file");
  EXPECT_NE(line, "") << server.output();
  EXPECT_NE(line.find("refusing to start"), std::string::npos) << line;
  EXPECT_NE(line.find("No such file"), std::string::npos) << line;
  EXPECT_EQ(server.WaitForExit(), 1);
}

TEST_F(QianbaodTest, ServesHttpsWhenGivenACertificateAndKey) {
  test_support::TlsFiles files;
  ASSERT_TRUE(files.ok());
  Qianbaod server(
      {}, {"QIANBAO_LISTEN_ADDRESS=127.0.0.1", "QIANBAO_LISTEN_PORT=0",
           "QIANBAO_DATA_DIR=" + data_dir_.string(), "QIANBAO_TLS_CERT=" + files.cert_path(),
           "QIANBAO_TLS_KEY=" + files.key_path()});
  ASSERT_TRUE(server.spawned());
  std::string line = server.WaitForLine("msg=\"listening\"");
  ASSERT_NE(line, "") << server.output();
  EXPECT_NE(line.find("scheme=https"), std::string::npos) << line;
  const size_t port_at = line.find(" port=");
  ASSERT_NE(port_at, std::string::npos);
  const auto port = static_cast<uint16_t>(std::stoi(line.substr(port_at + 6)));
  // Plain HTTP gets no answer on the HTTPS port (tls_test.cc covers the HTTPS round trip).
  TestConnection connection(port, 3000);
  ASSERT_TRUE(connection.connected());
  EXPECT_FALSE(connection.Request(Get("/healthz")));
  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  EXPECT_EQ(server.WaitForExit(), 0);
}

}  // namespace
}  // namespace qb
