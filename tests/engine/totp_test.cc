// Two-step log-in (TOTP) inside the engine: enrolment is pending until confirmed, a step is
// accepted once (the second of two racing commands with the same step is refused), a recovery
// code is spent once, wrong codes lock, and all of it is journaled and replayed (with or
// without a checkpoint) to the same state.
#include <gtest/gtest.h>

#include <string>

#include "engine_test_util.h"

namespace qb::engine {
namespace {

using identity::IdentityResult;
using identity::TotpProof;
using testing::CustomerEngineTest;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStep = 59'843'760;

class TotpEngineTest : public CustomerEngineTest {
 public:
  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "hash-" + phone}),
              Code(IdentityResult::kOk));
    EXPECT_EQ(Result(RegisterCustomer{{phone, "hash-" + phone, "argon2", "social", ""}}),
              Code(IdentityResult::kOk));
    return last_value_;
  }
  static UseTotp Use(uint64_t customer, TotpProof proof, int64_t step, std::string hash = "") {
    UseTotp command;
    command.customer_id = customer;
    command.use.proof = proof;
    command.use.step = step;
    command.use.recovery_code_hash = std::move(hash);
    return command;
  }
};

TEST_F(TotpEngineTest, EnrolmentStepsRecoveryCodesAndTheLockAreJournaledAndReplayed) {
  for (bool checkpoint : {false, true}) {
    SCOPED_TRACE(checkpoint ? "with a checkpoint" : "journal only");
    EngineOptions options;
    options.checkpoint_on_stop = checkpoint;
    OpenStore();
    OpenEngine(options);
    const uint64_t alice = SignUp(checkpoint ? "13800138002" : "13800138001");
    EXPECT_EQ(Result(ConfirmTotp{alice, kStep, "sealed", {"h1"}}),
              Code(IdentityResult::kTotpNotPending));
    ASSERT_EQ(Result(BeginTotpEnrolment{alice, "sealed"}), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 1)),
              Code(IdentityResult::kTotpNotEnabled));
    ASSERT_EQ(Result(ConfirmTotp{alice, kStep, "sealed", {"h1", "h2"}}), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(BeginTotpEnrolment{alice, "again"}),
              Code(IdentityResult::kTotpAlreadyEnabled));
    EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 1)), Code(IdentityResult::kOk));
    // Replayed step: refused and counted.
    EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 1)), Code(IdentityResult::kTotpInvalid));
    EXPECT_EQ(last_value_, 4u);
    EXPECT_EQ(Result(Use(alice, TotpProof::kRecoveryCode, 0, "h1")), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(Use(alice, TotpProof::kRecoveryCode, 0, "h1")),
              Code(IdentityResult::kTotpInvalid));
    const Digest before_restart = Hash();
    Restart();
    EXPECT_EQ(Hash(), before_restart);
    EXPECT_EQ(Result(Use(alice, TotpProof::kRecoveryCode, 0, "h1")),
              Code(IdentityResult::kTotpInvalid));
    EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 1)), Code(IdentityResult::kTotpInvalid));
    // The spent recovery code cleared the count: this is the fourth wrong one since, then five.
    EXPECT_EQ(Result(Use(alice, TotpProof::kWrong, 0)), Code(IdentityResult::kTotpInvalid));
    EXPECT_EQ(last_value_, 1u);
    EXPECT_EQ(Result(Use(alice, TotpProof::kWrong, 0)), Code(IdentityResult::kTotpLocked));
    const uint64_t locked_until = last_value_;
    EXPECT_GT(locked_until, 0u);
    Restart();
    EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 2)), Code(IdentityResult::kTotpLocked));
    EXPECT_EQ(last_value_, locked_until);
    clock_.Advance(31 * 60 * kSecond);
    EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 2)), Code(IdentityResult::kOk));
    UseTotp disable = Use(alice, TotpProof::kRecoveryCode, 0, "h2");
    disable.use.disable = true;
    EXPECT_EQ(Result(disable), Code(IdentityResult::kOk));
    EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 3)),
              Code(IdentityResult::kTotpNotEnabled));
    StopEngine();
  }
}

TEST_F(TotpEngineTest, TwoCommandsWithTheSameStepInOneBatchPassOnce) {
  OpenEngine();
  const uint64_t alice = SignUp("13800138001");
  ASSERT_EQ(Result(BeginTotpEnrolment{alice, "sealed"}), Code(IdentityResult::kOk));
  ASSERT_EQ(Result(ConfirmTotp{alice, kStep, "sealed", {"h1"}}), Code(IdentityResult::kOk));
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  std::atomic<int> answered{0};
  for (int i = 0; i < 2; i++) {
    engine_->Submit(Use(alice, TotpProof::kStep, kStep + 1), [&](Reply&& reply) {
      if (reply.results.at(0) == Code(IdentityResult::kOk)) ok++;
      if (reply.results.at(0) == Code(IdentityResult::kTotpInvalid)) refused++;
      answered++;
    });
  }
  // A query after both answers only once both are durable.
  EXPECT_EQ(Result(Use(alice, TotpProof::kStep, kStep + 1)), Code(IdentityResult::kTotpInvalid));
  while (answered.load() < 2) std::this_thread::yield();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 1);
}

TEST_F(TotpEngineTest, OversizedSecretsAndTooManyHashesAreRefusedBeforeTheJournal) {
  OpenEngine();
  const uint64_t alice = SignUp("13800138001");
  EXPECT_EQ(
      engine_->Execute(BeginTotpEnrolment{alice, std::string(kMaxIdentityFieldBytes + 1, 'x')})
          .status,
      ReplyStatus::kInvalidCommand);
  ConfirmTotp confirm{alice, kStep, "sealed",
                      std::vector<std::string>(identity::kMaxRecoveryCodeHashes + 1, "h")};
  EXPECT_EQ(engine_->Execute(confirm).status, ReplyStatus::kInvalidCommand);
}

// The audit chain records turning two-step log-in on and off, a spent recovery code and the
// wrong code that locks it; never the secret or a code.
TEST(TotpAuditTest, SecurityEventsAreRecorded) {
  StateMachine state;
  int64_t now_ns = int64_t{1'795'312'800} * kSecond;
  std::vector<audit::AuditEntry> entries;
  auto run = [&](const Command& command) {
    Projection projection;
    state.BeginBatch(now_ns, &projection);
    Reply reply = state.Apply(command);
    state.EndBatch();
    now_ns += kSecond;
    for (auto& entry : projection.audit_entries) entries.push_back(std::move(entry));
    return reply.results.empty() ? uint8_t{255} : reply.results[0];
  };
  auto ok = static_cast<uint8_t>(IdentityResult::kOk);
  ASSERT_EQ(run(IssueOtp{"13800138001", identity::OtpPurpose::kRegister, "otp"}), ok);
  ASSERT_EQ(run(RegisterCustomer{{"13800138001", "otp", "argon2", "social", ""}}), ok);
  const uint64_t alice = state.customers().FindByPhone("13800138001")->id;
  entries.clear();
  ASSERT_EQ(run(BeginTotpEnrolment{alice, "sealed-secret"}), ok);
  ASSERT_EQ(run(ConfirmTotp{alice, kStep, "sealed-secret", {"h1", "h2"}}), ok);
  ASSERT_EQ(run(TotpEngineTest::Use(alice, TotpProof::kRecoveryCode, 0, "h1")), ok);
  for (int i = 0; i < 5; i++) run(TotpEngineTest::Use(alice, TotpProof::kWrong, 0));
  run(TotpEngineTest::Use(alice, TotpProof::kWrong, 0));  // Locked already: not again.
  now_ns += 31 * 60 * kSecond;
  UseTotp disable = TotpEngineTest::Use(alice, TotpProof::kStep, kStep + 1);
  disable.use.disable = true;
  ASSERT_EQ(run(disable), ok);
  std::vector<std::string> actions;
  for (const auto& entry : entries) {
    actions.push_back(entry.event.action);
    EXPECT_EQ(entry.event.target, "customer:" + std::to_string(alice));
    EXPECT_EQ(entry.event.detail.find("sealed"), std::string::npos);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"customer.totp_enable", "customer.recovery_code_use",
                                               "customer.totp_locked", "customer.totp_disable"}));
  EXPECT_EQ(entries.back().event.detail, R"({"with":"totp"})");
}

}  // namespace
}  // namespace qb::engine
