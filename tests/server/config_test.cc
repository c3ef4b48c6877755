#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace qb {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() / ("qb_config_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string WriteFile(const std::string& text) {
    std::string path = (directory_ / "qianbao.toml").string();
    std::ofstream(path) << text;
    return path;
  }

  std::string Load(const std::string& path) {
    return LoadServerConfig(path, &config_, [this](std::string_view name) {
      auto it = env_.find(std::string(name));
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
  }

  std::filesystem::path directory_;
  std::map<std::string, std::string> env_;
  ServerConfig config_;
};

TEST_F(ConfigTest, DefaultsWithoutFile) {
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.data_dir, "./data");
  EXPECT_EQ(config_.listen_address, "127.0.0.1");
  EXPECT_EQ(config_.listen_port, 8080);
  EXPECT_EQ(config_.store_backend, "sqlite");
  EXPECT_EQ(config_.postgres_url, "");
  EXPECT_EQ(config_.io_threads, 1u);
  EXPECT_EQ(config_.max_body_bytes, 65536u);
  EXPECT_EQ(config_.command_queue_capacity, 65536u);
  EXPECT_EQ(config_.max_batch_commands, 8192u);
  EXPECT_EQ(config_.checkpoint_every_commands, 2000000u);
  EXPECT_EQ(config_.log_level, "info");
}

TEST_F(ConfigTest, ParsesEveryKey) {
  std::string path = WriteFile(R"(
[server]
listen_address = "::1"
listen_port = 9090
io_threads = 2
max_body_bytes = 1024

[store]
backend = "sqlite"
data_dir = "/var/lib/qianbao"
postgres_url = "postgresql://localhost/qianbao"

[engine]
command_queue_capacity = 100
max_batch_commands = 10
checkpoint_every_commands = 1000

[log]
level = "debug"
)");
  ASSERT_EQ(Load(path), "");
  EXPECT_EQ(config_.listen_address, "::1");
  EXPECT_EQ(config_.listen_port, 9090);
  EXPECT_EQ(config_.io_threads, 2u);
  EXPECT_EQ(config_.max_body_bytes, 1024u);
  EXPECT_EQ(config_.data_dir, "/var/lib/qianbao");
  EXPECT_EQ(config_.postgres_url, "postgresql://localhost/qianbao");
  EXPECT_EQ(config_.command_queue_capacity, 100u);
  EXPECT_EQ(config_.max_batch_commands, 10u);
  EXPECT_EQ(config_.checkpoint_every_commands, 1000u);
  EXPECT_EQ(config_.log_level, "debug");
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  std::string path = WriteFile("[server]\nlisten_port = 9090\n[log]\nlevel = \"debug\"\n");
  env_ = {{"QIANBAO_LISTEN_PORT", "0"},          {"QIANBAO_DATA_DIR", "/srv/qianbao"},
          {"QIANBAO_LOG_LEVEL", "warn"},         {"QIANBAO_IO_THREADS", "3"},
          {"QIANBAO_LISTEN_ADDRESS", "0.0.0.0"}, {"QIANBAO_POSTGRES_URL", "postgresql:///db"}};
  ASSERT_EQ(Load(path), "");
  EXPECT_EQ(config_.listen_port, 0);
  EXPECT_EQ(config_.data_dir, "/srv/qianbao");
  EXPECT_EQ(config_.log_level, "warn");
  EXPECT_EQ(config_.io_threads, 3u);
  EXPECT_EQ(config_.listen_address, "0.0.0.0");
  EXPECT_EQ(config_.postgres_url, "postgresql:///db");
}

TEST_F(ConfigTest, UnknownKeyIsAnError) {
  std::string error = Load(WriteFile("[server]\nlisten_prot = 1\n"));
  EXPECT_NE(error.find("listen_prot"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown key"), std::string::npos) << error;
}

TEST_F(ConfigTest, UnknownSectionIsAnError) {
  std::string error = Load(WriteFile("[sever]\nlisten_port = 1\n"));
  EXPECT_NE(error.find("unknown section"), std::string::npos) << error;
  EXPECT_NE(Load(WriteFile("listen_port = 1\n")), "");
}

TEST_F(ConfigTest, PortOutOfRangeIsAnError) {
  std::string error = Load(WriteFile("[server]\nlisten_port = 65536\n"));
  EXPECT_NE(error.find("listen_port"), std::string::npos) << error;
  EXPECT_NE(Load(WriteFile("[server]\nlisten_port = -1\n")), "");
  EXPECT_NE(Load(WriteFile("[server]\nlisten_port = \"80\"\n")), "");
  env_ = {{"QIANBAO_LISTEN_PORT", "80x"}};
  EXPECT_NE(Load("").find("QIANBAO_LISTEN_PORT"), std::string::npos);
  env_ = {{"QIANBAO_LISTEN_PORT", "65536"}};
  EXPECT_NE(Load(""), "");
}

TEST_F(ConfigTest, LimitsMustBePositive) {
  EXPECT_NE(Load(WriteFile("[server]\nio_threads = 0\n")), "");
  EXPECT_NE(Load(WriteFile("[server]\nmax_body_bytes = 0\n")), "");
  EXPECT_NE(Load(WriteFile("[engine]\ncommand_queue_capacity = 0\n")), "");
  EXPECT_NE(Load(WriteFile("[engine]\nmax_batch_commands = -5\n")), "");
  EXPECT_NE(Load(WriteFile("[engine]\ncheckpoint_every_commands = 0\n")), "");
}

TEST_F(ConfigTest, BadValuesAreErrors) {
  EXPECT_NE(Load(WriteFile("[store]\nbackend = \"postgres\"\n")).find("not supported yet"),
            std::string::npos);
  EXPECT_NE(Load(WriteFile("[store]\nbackend = \"mysql\"\n")), "");
  EXPECT_NE(Load(WriteFile("[log]\nlevel = \"loud\"\n")), "");
  EXPECT_NE(Load(WriteFile("[server]\nlisten_address = \"localhost\"\n")), "");
  EXPECT_NE(Load(WriteFile("[store]\ndata_dir = 5\n")), "");
}

TEST_F(ConfigTest, MalformedOrMissingFileIsAnError) {
  std::string error = Load(WriteFile("[server\nlisten_port = 1\n"));
  EXPECT_NE(error.find(":1:"), std::string::npos) << error;
  EXPECT_NE(Load((directory_ / "missing.toml").string()).find("not found"), std::string::npos);
}

TEST_F(ConfigTest, FailureLeavesConfigUnchanged) {
  config_.listen_port = 1234;
  EXPECT_NE(Load(WriteFile("[server]\nlisten_port = 99999\n")), "");
  EXPECT_EQ(config_.listen_port, 1234);
}

}  // namespace
}  // namespace qb
