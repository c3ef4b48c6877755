// `qianbao audit verify` (and `qianbao verify`) on a real data directory: an untouched audit log
// checks out; a row edited in the database is reported at its seq; a row cut off the end is
// reported as a cut tail.
#include "cli/audit_verify.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <sstream>
#include <string>

#include "base/clock.h"
#include "cli/verify.h"
#include "engine/engine.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace qb::cli {
namespace {

constexpr int64_t kStartNs = 1'700'000'000'000'000'000;

class AuditVerifyTest : public ::testing::Test {
 protected:
  // Four audit entries: a staff account, a log-in, a failed one, and an API-witnessed event.
  void SetUp() override {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(OpenSqliteStore(dir_.path(), &store).ok());
    ManualClock clock(kStartNs);
    std::unique_ptr<engine::Engine> engine;
    ASSERT_TRUE(
        engine::Engine::Open(store.get(), &clock, engine::EngineOptions(), nullptr, &engine).ok());
    for (engine::Command command : std::vector<engine::Command>{
             engine::CreateStaff{{"admin", "Admin", "argon2", identity::kAllStaffRoles}},
             engine::RecordStaffLogin{1, true},
             engine::RecordStaffLogin{1, false},
             engine::RecordAudit{{0, audit::ActorKind::kStaff, 1, "pii.reveal", "customer:9",
                                  R"({"reason":"ticket 7"})"}},
         }) {
      engine::Reply reply = engine->Execute(std::move(command));
      ASSERT_EQ(reply.status, engine::ReplyStatus::kOk);
      ASSERT_EQ(reply.results.at(0), 0);
      clock.Advance(1'000'000);
    }
    engine->Stop();  // Drains the projector.
  }

  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() + "/readmodel.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  int AuditVerify(std::string* output) {
    std::ostringstream out;
    const int code = RunAuditVerify(dir_.path(), out);
    *output = out.str();
    return code;
  }

  qb::testing::TempDir dir_;
};

TEST_F(AuditVerifyTest, AnUntouchedLogChecksOut) {
  std::string output;
  EXPECT_EQ(AuditVerify(&output), 0) << output;
  EXPECT_NE(output.find("OK, 4 entries"), std::string::npos) << output;
  std::ostringstream verify;
  EXPECT_EQ(RunVerify(dir_.path(), verify), 0) << verify.str();
  EXPECT_NE(verify.str().find("audit log hash chain intact"), std::string::npos) << verify.str();
}

TEST_F(AuditVerifyTest, AnEditedRowIsReportedAtItsSeq) {
  Sql(R"(UPDATE audit_log SET detail = '{"reason":"nothing to see"}' WHERE seq = 4)");
  Sql(R"(UPDATE audit_log SET detail = '{"locked":false}' WHERE seq = 3)");
  std::string output;
  EXPECT_EQ(AuditVerify(&output), 1) << output;
  EXPECT_NE(output.find("FAILED at seq 3: hash mismatch"), std::string::npos) << output;
  std::ostringstream verify;
  EXPECT_EQ(RunVerify(dir_.path(), verify), 1) << verify.str();
  EXPECT_NE(verify.str().find("audit log at seq 3"), std::string::npos) << verify.str();
}

TEST_F(AuditVerifyTest, ARecomputedRowStillBreaksTheNextLink) {
  // Whoever edits a row and fixes its hash still breaks the link from the row after it.
  Sql("UPDATE audit_log SET action = 'staff.login', hash = (SELECT hash FROM audit_log WHERE "
      "seq = 2) WHERE seq = 3");
  std::string output;
  EXPECT_EQ(AuditVerify(&output), 1) << output;
  EXPECT_NE(output.find("FAILED at seq 3"), std::string::npos) << output;
}

TEST_F(AuditVerifyTest, ACutTailIsReported) {
  Sql("DELETE FROM audit_log WHERE seq = 4");
  std::string output;
  EXPECT_EQ(AuditVerify(&output), 1) << output;
  EXPECT_NE(output.find("FAILED at seq 4: cut tail"), std::string::npos) << output;
}

TEST_F(AuditVerifyTest, AMissingRowInTheMiddleIsAGap) {
  Sql("DELETE FROM audit_log WHERE seq = 2");
  std::string output;
  EXPECT_EQ(AuditVerify(&output), 1) << output;
  EXPECT_NE(output.find("FAILED at seq 2: sequence gap"), std::string::npos) << output;
}

TEST_F(AuditVerifyTest, AnUnreadableDirectoryAnswersTwo) {
  std::ostringstream out;
  EXPECT_EQ(RunAuditVerify(dir_.path() + "/readmodel.db/not-a-dir", out), 2) << out.str();
}

}  // namespace
}  // namespace qb::cli
