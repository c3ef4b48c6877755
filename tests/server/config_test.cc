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

TEST_F(ConfigTest, WalletSmsAndBankSettings) {
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.deployment, "development");
  EXPECT_EQ(config_.sms_provider, "outbox");
  EXPECT_EQ(config_.key_file, "");
  EXPECT_EQ(config_.customer_idle_minutes, 30u);
  EXPECT_EQ(config_.staff_idle_minutes, 15u);
  EXPECT_EQ(config_.settlement_hour, 2);

  std::string path = WriteFile(R"(
[server]
tls = "proxy"
[wallet]
deployment = "production"
key_file = "/etc/qianbao/keys"
worker_threads = 4
customer_idle_minutes = 20
staff_idle_minutes = 10
[sms]
provider = "http"
url = "http://sms.example/send"
body_template = '{"to":${phone},"text":${text}}'
api_key_header = "X-Api-Key"
timeout_ms = 3000
[bank]
latency_ms = 5
failure_rate_ppm = 1000
seed = 7
[settlement]
hour = -1
)");
  ASSERT_EQ(Load(path), "");
  EXPECT_EQ(config_.deployment, "production");
  EXPECT_EQ(config_.key_file, "/etc/qianbao/keys");
  EXPECT_EQ(config_.wallet_worker_threads, 4u);
  EXPECT_EQ(config_.customer_idle_minutes, 20u);
  EXPECT_EQ(config_.staff_idle_minutes, 10u);
  EXPECT_EQ(config_.sms_provider, "http");
  EXPECT_EQ(config_.sms_api_key_header, "X-Api-Key");
  EXPECT_EQ(config_.sms_timeout_ms, 3000u);
  EXPECT_EQ(config_.bank_latency_ms, 5u);
  EXPECT_EQ(config_.bank_failure_rate_ppm, 1000u);
  EXPECT_EQ(config_.bank_seed, 7u);
  EXPECT_EQ(config_.settlement_hour, -1);

  env_["QIANBAO_KEY_FILE"] = "/run/keys";
  ASSERT_EQ(Load(path), "");
  EXPECT_EQ(config_.key_file, "/run/keys");
  EXPECT_NE(Load(WriteFile("[settlement]\nhour = 24\n")), "");
}

TEST_F(ConfigTest, AuthRateLimitsAreOnAndOnlyDevelopmentMayTurnThemOff) {
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.auth_rate_limits, "on");
  env_["QIANBAO_AUTH_RATE_LIMITS"] = "off";
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.auth_rate_limits, "off");
  env_["QIANBAO_AUTH_RATE_LIMITS"] = "sometimes";
  EXPECT_NE(Load("").find("auth_rate_limits"), std::string::npos);
  env_["QIANBAO_AUTH_RATE_LIMITS"] = "off";
  env_["QIANBAO_DEPLOYMENT"] = "production";
  env_["QIANBAO_SMS_PROVIDER"] = "http";
  env_["QIANBAO_SMS_URL"] = "http://sms.example/send";
  EXPECT_NE(Load(WriteFile("[sms]\nbody_template = '${phone}'\n[wallet]\nkey_file = \"/k\"\n"))
                .find("auth_rate_limits"),
            std::string::npos);
}

TEST_F(ConfigTest, MasterKeyFileFromFileOrEnvironment) {
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.master_key_file, "");
  ASSERT_EQ(Load(WriteFile("[wallet]\nmaster_key_file = \"/secrets/master.key\"\n")), "");
  EXPECT_EQ(config_.master_key_file, "/secrets/master.key");
  env_["QIANBAO_MASTER_KEY_FILE"] = "/run/master.key";
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.master_key_file, "/run/master.key");
}

TEST_F(ConfigTest, ProductionRefusesDevelopmentStandIns) {
  env_["QIANBAO_DEPLOYMENT"] = "production";
  EXPECT_NE(Load("").find("provider"), std::string::npos);
  env_["QIANBAO_SMS_PROVIDER"] = "http";
  EXPECT_NE(Load("").find("url"), std::string::npos);
  env_["QIANBAO_DEPLOYMENT"] = "staging";
  EXPECT_NE(Load("").find("deployment"), std::string::npos);
  env_["QIANBAO_DEPLOYMENT"] = "development";
  env_["QIANBAO_SMS_PROVIDER"] = "pigeon";
  EXPECT_NE(Load("").find("pigeon"), std::string::npos);
}

TEST_F(ConfigTest, TlsSettingsFromFileAndEnvironment) {
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.tls, "auto");
  EXPECT_EQ(config_.tls_cert, "");
  EXPECT_EQ(config_.tls_key, "");
  std::string path = WriteFile(
      "[server]\ntls_cert = \"/etc/qianbao/chain.pem\"\ntls_key = \"/etc/qianbao/key.pem\"\n");
  ASSERT_EQ(Load(path), "");
  EXPECT_EQ(config_.tls_cert, "/etc/qianbao/chain.pem");
  EXPECT_EQ(config_.tls_key, "/etc/qianbao/key.pem");
  env_["QIANBAO_TLS_CERT"] = "/run/chain.pem";
  env_["QIANBAO_TLS_KEY"] = "/run/key.pem";
  ASSERT_EQ(Load(path), "");
  EXPECT_EQ(config_.tls_cert, "/run/chain.pem");
  EXPECT_EQ(config_.tls_key, "/run/key.pem");
  // The files themselves are checked when the server starts, not here.
  env_["QIANBAO_TLS_KEY"] = "";
  EXPECT_NE(Load(path).find("together"), std::string::npos);
  env_.clear();
  EXPECT_NE(Load(WriteFile("[server]\ntls_key = \"/k.pem\"\n")).find("together"),
            std::string::npos);
  env_["QIANBAO_TLS"] = "sometimes";
  EXPECT_NE(Load("").find("[server] tls"), std::string::npos);
  env_["QIANBAO_TLS"] = "proxy";
  ASSERT_EQ(Load(""), "");
  EXPECT_EQ(config_.tls, "proxy");
  // A proxy in front and a certificate of our own: which one is it?
  env_["QIANBAO_TLS_CERT"] = "/run/chain.pem";
  env_["QIANBAO_TLS_KEY"] = "/run/key.pem";
  EXPECT_NE(Load("").find("proxy"), std::string::npos);
}

TEST_F(ConfigTest, ProductionRefusesPlainHttpUnlessAProxyTerminatesTls) {
  env_["QIANBAO_DEPLOYMENT"] = "production";
  env_["QIANBAO_SMS_PROVIDER"] = "http";
  env_["QIANBAO_SMS_URL"] = "http://sms.example/send";
  env_["QIANBAO_KEY_FILE"] = "/k";
  const std::string path = WriteFile("[sms]\nbody_template = '${phone}'\n");
  std::string error = Load(path);
  EXPECT_NE(error.find("HTTPS"), std::string::npos) << error;
  EXPECT_NE(error.find("tls_cert"), std::string::npos) << error;
  EXPECT_NE(error.find("proxy"), std::string::npos) << error;
  env_["QIANBAO_TLS"] = "proxy";
  EXPECT_EQ(Load(path), "");
  env_.erase("QIANBAO_TLS");
  env_["QIANBAO_TLS_CERT"] = "/etc/qianbao/chain.pem";
  env_["QIANBAO_TLS_KEY"] = "/etc/qianbao/key.pem";
  EXPECT_EQ(Load(path), "");
}

}  // namespace
}  // namespace qb
