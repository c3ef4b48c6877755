// The audit_log read model: rows written by the projection in its transaction, read back in seq
// order for verification and searched newest first with filters and a cursor.
#include <gtest/gtest.h>

#include "audit/audit_chain.h"
#include "store_test_util.h"

namespace qb::testing {
namespace {

using audit::ActorKind;
using audit::AuditEntry;

class AuditLogTest : public StoreTest {
 protected:
  // Chains `events` after the entries already made and projects them at journal seq `seq`.
  void Project(uint64_t seq, std::vector<audit::AuditEvent> events) {
    Projection projection;
    projection.last_seq = seq;
    for (audit::AuditEvent& event : events) {
      projection.audit_entries.push_back(chain_.Append(std::move(event)));
      made_.push_back(projection.audit_entries.back());
    }
    Status s = store_->ApplyProjection(projection);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static audit::AuditEvent Event(int64_t time_ns, ActorKind kind, uint64_t id, std::string action,
                                 std::string target) {
    return audit::AuditEvent{time_ns, kind, id, std::move(action), std::move(target), R"({"n":1})"};
  }
  void ProjectSample() {
    Project(1, {Event(100, ActorKind::kSystem, 0, "staff.create", "staff:1"),
                Event(100, ActorKind::kStaff, 1, "staff.login", "staff:1")});
    Project(2, {Event(200, ActorKind::kStaff, 1, "merchant.onboard", "merchant:1"),
                Event(300, ActorKind::kStaff, 2, "staff.login_failed", "staff:2"),
                Event(400, ActorKind::kMerchantUser, 5, "merchant.webhook_secret_rotate",
                      "merchant:1")});
  }
  std::vector<uint64_t> Seqs(const AuditFilter& filter, std::optional<uint64_t> before = {},
                             size_t limit = 50) {
    AuditPage page;
    Status s = store_->ListAuditEntries(filter, before, limit, &page);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<uint64_t> seqs;
    for (const AuditEntry& entry : page.entries) seqs.push_back(entry.seq);
    return seqs;
  }

  audit::AuditChain chain_;
  std::vector<AuditEntry> made_;
};

TEST_F(AuditLogTest, RowsReadBackAsTheEntriesWereChained) {
  ProjectSample();
  Reopen();
  std::vector<AuditEntry> rows;
  ASSERT_TRUE(store_->ReadAuditEntries(1, 100, &rows).ok());
  EXPECT_EQ(rows, made_);
  EXPECT_TRUE(audit::VerifyAuditChain(rows, 0, Digest{}, chain_.head()).ok);
  // A range: from a seq, at most a limit, ascending.
  ASSERT_TRUE(store_->ReadAuditEntries(2, 2, &rows).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].seq, 2u);
  EXPECT_EQ(rows[1].seq, 3u);
  EXPECT_EQ(QueryInt("readmodel.db", "SELECT COUNT(*) FROM audit_log"), 5);
  // The audit log arrived with migration 8; later ones may follow.
  EXPECT_GE(QueryInt("readmodel.db", "SELECT MAX(version) FROM schema_version"), 8);
}

TEST_F(AuditLogTest, SearchFiltersAndPagesNewestFirst) {
  ProjectSample();
  EXPECT_EQ(Seqs({}), (std::vector<uint64_t>{5, 4, 3, 2, 1}));
  AuditFilter staff_actions;
  staff_actions.action_prefix = "staff.";
  EXPECT_EQ(Seqs(staff_actions), (std::vector<uint64_t>{4, 2, 1}));
  AuditFilter exact;
  exact.action_prefix = "staff.login";  // A whole action also matches the longer ones.
  EXPECT_EQ(Seqs(exact), (std::vector<uint64_t>{4, 2}));
  AuditFilter by_actor;
  by_actor.actor_kind = ActorKind::kStaff;
  EXPECT_EQ(Seqs(by_actor), (std::vector<uint64_t>{4, 3, 2}));
  by_actor.actor_id = 1;
  EXPECT_EQ(Seqs(by_actor), (std::vector<uint64_t>{3, 2}));
  AuditFilter by_target;
  by_target.target = "merchant:1";
  EXPECT_EQ(Seqs(by_target), (std::vector<uint64_t>{5, 3}));
  AuditFilter by_time;
  by_time.from_ns = 200;
  by_time.to_ns = 400;
  EXPECT_EQ(Seqs(by_time), (std::vector<uint64_t>{4, 3}));

  AuditPage page;
  ASSERT_TRUE(store_->ListAuditEntries({}, std::nullopt, 2, &page).ok());
  ASSERT_EQ(page.entries.size(), 2u);
  ASSERT_TRUE(page.next_cursor.has_value());
  EXPECT_EQ(*page.next_cursor, 4u);
  EXPECT_EQ(Seqs({}, page.next_cursor, 2), (std::vector<uint64_t>{3, 2}));
  ASSERT_TRUE(store_->ListAuditEntries({}, 2, 5, &page).ok());
  EXPECT_EQ(page.entries.size(), 1u);
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(AuditLogTest, ResetReadModelsEmptiesTheTable) {
  ProjectSample();
  ASSERT_TRUE(store_->ResetReadModels().ok());
  std::vector<AuditEntry> rows;
  ASSERT_TRUE(store_->ReadAuditEntries(1, 100, &rows).ok());
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace qb::testing
