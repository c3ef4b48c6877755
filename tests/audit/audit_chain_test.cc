// The audit chain: the hash format frozen by vectors computed independently (Python's hashlib
// over the encoding documented in audit_chain.h), and every kind of tampering caught.
#include "audit/audit_chain.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace qb::audit {
namespace {

constexpr int64_t kStartNs = 1'790'000'000'123'456'789;

AuditEvent Event(int i) {
  AuditEvent e;
  e.time_ns = kStartNs + int64_t{i} * 1'000;
  e.actor_kind = i % 2 == 0 ? ActorKind::kStaff : ActorKind::kCustomer;
  e.actor_id = 100 + static_cast<uint64_t>(i);
  e.action = i % 3 == 0 ? "staff.login" : "factor.totp.enrolled";
  e.target = "customer:" + std::to_string(i);
  e.detail = R"({"n":)" + std::to_string(i) + "}";
  return e;
}

std::vector<AuditEntry> Chain(int count) {
  AuditChain chain;
  std::vector<AuditEntry> entries;
  for (int i = 1; i <= count; i++) entries.push_back(chain.Append(Event(i)));
  return entries;
}

TEST(AuditChainTest, HashesMatchTheDocumentedEncoding) {
  AuditChain chain;
  AuditEvent login;
  login.time_ns = kStartNs;
  login.actor_kind = ActorKind::kStaff;
  login.actor_id = 7;
  login.action = "staff.login";
  login.target = "staff:7";
  login.detail = R"({"ip":"127.0.0.1"})";
  const AuditEntry first = chain.Append(login);
  EXPECT_EQ(first.seq, 1u);
  EXPECT_EQ(first.prev_hash, Digest{});
  EXPECT_EQ(DigestHex(first.hash),
            "316ff6b55ebd3fe4a91b01d6f53dc818a45be140c3398af7566940a5172c1420");

  AuditEvent reveal;
  reveal.time_ns = kStartNs + 100'000'000;
  reveal.actor_kind = ActorKind::kStaff;
  reveal.actor_id = 9;
  reveal.action = "pii.reveal";
  reveal.target = "customer:42";
  reveal.detail = R"({"reason":"客户来电核实"})";
  const AuditEntry second = chain.Append(reveal);
  EXPECT_EQ(second.seq, 2u);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(DigestHex(second.hash),
            "ece41decb8d0095d69115850855097e273d27b5397e5ce84be500c65882c3ca0");
  EXPECT_EQ(chain.seq(), 2u);
  EXPECT_EQ(chain.head(), second.hash);
}

TEST(AuditChainTest, AnIntactChainVerifies) {
  const std::vector<AuditEntry> entries = Chain(100);
  AuditVerifyResult result = VerifyAuditChain(entries, 0, Digest{}, entries.back().hash);
  EXPECT_TRUE(result.ok) << result.problem;
  // A stretch after a known point verifies on its own.
  result =
      VerifyAuditChain(std::span(entries).subspan(40), 40, entries[39].hash, entries.back().hash);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_TRUE(VerifyAuditChain({}, 0, Digest{}, Digest{}).ok);
}

TEST(AuditChainTest, AChangedFieldIsCaughtAtItsEntry) {
  const std::vector<AuditEntry> original = Chain(60);
  for (int field = 0; field < 6; field++) {
    std::vector<AuditEntry> entries = original;
    AuditEvent& e = entries[29].event;
    switch (field) {
      case 0:
        e.time_ns += 1;
        break;
      case 1:
        e.actor_kind = ActorKind::kSystem;
        break;
      case 2:
        e.actor_id += 1;
        break;
      case 3:
        e.action = "staff.logout";
        break;
      case 4:
        e.target = "customer:31";
        break;
      case 5:
        e.detail = R"({"n":31})";
        break;
    }
    const AuditVerifyResult result = VerifyAuditChain(entries, 0, Digest{});
    EXPECT_FALSE(result.ok) << field;
    EXPECT_EQ(result.first_bad_seq, 30u) << field;
    EXPECT_EQ(result.problem, "hash mismatch") << field;
  }
}

TEST(AuditChainTest, RemovedInsertedAndReorderedEntriesAreCaught) {
  const std::vector<AuditEntry> original = Chain(20);
  std::vector<AuditEntry> removed = original;
  removed.erase(removed.begin() + 9);
  AuditVerifyResult result = VerifyAuditChain(removed, 0, Digest{});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 10u);
  EXPECT_EQ(result.problem, "sequence gap");

  std::vector<AuditEntry> swapped = original;
  std::swap(swapped[4], swapped[5]);
  result = VerifyAuditChain(swapped, 0, Digest{});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 5u);

  // An entry slipped in with the right seq and link, but the next one does not link to it.
  std::vector<AuditEntry> inserted(original.begin(), original.begin() + 5);
  AuditChain forger(5, original[4].hash);
  inserted.push_back(forger.Append(Event(99)));
  inserted.insert(inserted.end(), original.begin() + 5, original.end());
  result = VerifyAuditChain(inserted, 0, Digest{});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 7u);
}

TEST(AuditChainTest, ACutOrRewrittenTailIsCaughtOnlyAgainstTheKeptHead) {
  const std::vector<AuditEntry> original = Chain(30);
  const Digest head = original.back().hash;
  // Cut off the last five: the stretch itself is consistent.
  std::vector<AuditEntry> cut(original.begin(), original.end() - 5);
  EXPECT_TRUE(VerifyAuditChain(cut, 0, Digest{}).ok);
  AuditVerifyResult result = VerifyAuditChain(cut, 0, Digest{}, head);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 26u);

  // Entry 20 changed and every hash after it recomputed by the forger.
  std::vector<AuditEntry> forged(original.begin(), original.begin() + 19);
  AuditChain forger(19, original[18].hash);
  AuditEvent changed = original[19].event;
  changed.detail = R"({"n":0})";
  forged.push_back(forger.Append(changed));
  for (size_t i = 20; i < original.size(); i++) forged.push_back(forger.Append(original[i].event));
  EXPECT_TRUE(VerifyAuditChain(forged, 0, Digest{}).ok);
  result = VerifyAuditChain(forged, 0, Digest{}, head);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.problem, "head mismatch: entries cut off or forged");
}

TEST(AuditChainTest, EventsAreBounded) {
  AuditEvent e = Event(1);
  EXPECT_TRUE(IsValidEvent(e));
  e.action = "";
  EXPECT_FALSE(IsValidEvent(e));
  e.action = "Staff.Login";  // upper case
  EXPECT_FALSE(IsValidEvent(e));
  e.action = std::string(kMaxActionBytes, 'a');
  EXPECT_TRUE(IsValidEvent(e));
  e.action += "a";
  EXPECT_FALSE(IsValidEvent(e));
  e = Event(1);
  e.target = std::string(kMaxTargetBytes + 1, 'x');
  EXPECT_FALSE(IsValidEvent(e));
  e = Event(1);
  e.detail = std::string(kMaxDetailBytes + 1, 'x');
  EXPECT_FALSE(IsValidEvent(e));
  e = Event(1);
  e.actor_kind = static_cast<ActorKind>(9);
  EXPECT_FALSE(IsValidEvent(e));
  EXPECT_EQ(ActorKindName(ActorKind::kMerchantUser), "merchant_user");
}

}  // namespace
}  // namespace qb::audit
