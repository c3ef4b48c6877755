// The engine's audit log: which commands append an entry and what it says, RecordAudit, the
// chain's head in the state (hash, serialization, old states without it) and across a
// checkpoint and restart, and the rows the projector writes.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "engine/checkpoint.h"
#include "engine/state_machine.h"
#include "engine_test_util.h"

namespace qb::engine::testing {
namespace {

using audit::ActorKind;
using audit::AuditEntry;
using identity::IdentityResult;

constexpr int64_t kBatchNs = kStartNs;
constexpr char kPhone[] = "13800138001";

// Drives a bare StateMachine one command per batch, collecting the projected audit rows.
class AuditHooksTest : public ::testing::Test {
 protected:
  Reply Run(const Command& command) {
    Projection projection;
    state_.BeginBatch(now_ns_, &projection);
    Reply reply = state_.Apply(command);
    state_.EndBatch();
    now_ns_ += 1'000'000;
    for (AuditEntry& entry : projection.audit_entries) entries_.push_back(std::move(entry));
    return reply;
  }
  uint8_t Result(const Command& command) {
    Reply reply = Run(command);
    return reply.results.empty() ? 255 : reply.results[0];
  }
  // The entries appended since the last call.
  std::vector<AuditEntry> Take() {
    std::vector<AuditEntry> taken(entries_.begin() + static_cast<ptrdiff_t>(taken_),
                                  entries_.end());
    taken_ = entries_.size();
    return taken;
  }
  uint64_t CreateAdmin() {
    Reply reply = Run(CreateStaff{{"admin", "Admin", "argon2", identity::kAllStaffRoles}});
    EXPECT_EQ(reply.results[0], 0);
    return reply.value;
  }
  static payments::MerchantProfile Profile() {
    payments::MerchantProfile profile;
    profile.legal_name = "小店";
    profile.credit_code = "91350100M000100Y43";
    profile.category = "catering";
    profile.settlement_bank_code = "ICBC";
    profile.settlement_account_sealed = "sealed";
    profile.settlement_account_last4 = "1234";
    return profile;
  }

  StateMachine state_;
  int64_t now_ns_ = kBatchNs;
  std::vector<AuditEntry> entries_;
  size_t taken_ = 0;
};

TEST_F(AuditHooksTest, StaffAccountsAndLogInsAreRecorded) {
  const uint64_t admin = CreateAdmin();
  std::vector<AuditEntry> created = Take();
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].seq, 1u);
  EXPECT_EQ(created[0].event.time_ns, kBatchNs);
  EXPECT_EQ(created[0].event.actor_kind, ActorKind::kSystem);  // `qianbao admin create`.
  EXPECT_EQ(created[0].event.action, "staff.create");
  EXPECT_EQ(created[0].event.target, "staff:" + std::to_string(admin));
  EXPECT_NE(created[0].event.detail.find("\"admin\""), std::string::npos);
  EXPECT_EQ(created[0].event.detail.find("argon2"), std::string::npos);  // Never the hash.

  CreateStaff by_admin{
      {"li", "李", "argon2", static_cast<uint32_t>(identity::StaffRole::kAuditor)}};
  by_admin.by_staff_id = admin;
  const uint64_t auditor = Run(by_admin).value;
  std::vector<AuditEntry> second = Take();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].event.actor_kind, ActorKind::kStaff);
  EXPECT_EQ(second[0].event.actor_id, admin);
  EXPECT_EQ(second[0].event.detail, R"({"username":"li","roles":["auditor"]})");
  // A refused creation (the name is taken) leaves nothing.
  EXPECT_NE(Result(by_admin), 0);
  EXPECT_TRUE(Take().empty());

  EXPECT_EQ(Result(RecordStaffLogin{auditor, true}), 0);
  for (int i = 0; i < 5; i++) Result(RecordStaffLogin{auditor, false});
  EXPECT_EQ(Result(RecordStaffLogin{auditor, true}),
            static_cast<uint8_t>(IdentityResult::kLoginLocked));
  std::vector<AuditEntry> logins = Take();
  ASSERT_EQ(logins.size(), 6u);  // The try while locked changes nothing and is not recorded.
  EXPECT_EQ(logins[0].event.action, "staff.login");
  EXPECT_EQ(logins[0].event.actor_id, auditor);
  for (int i = 1; i < 6; i++) EXPECT_EQ(logins[i].event.action, "staff.login_failed");
  EXPECT_EQ(logins[4].event.detail, "");
  EXPECT_EQ(logins[5].event.detail, R"({"locked":true})");
  // Unknown staff: nothing recorded.
  EXPECT_NE(Result(RecordStaffLogin{99, false}), 0);
  EXPECT_TRUE(Take().empty());
}

TEST_F(AuditHooksTest, LogInEntriesNameTheDeviceAndNetworkByTheirHashesFirstDigits) {
  const std::string device(64, 'd');
  const std::string ip = "0123456789abcdef" + std::string(48, 'e');
  const uint64_t admin = CreateAdmin();
  Take();
  EXPECT_EQ(Result(RecordStaffLogin{admin, true, device, ip}), 0);
  for (int i = 0; i < 5; i++) Result(RecordStaffLogin{admin, false, "", ip});
  std::vector<AuditEntry> logins = Take();
  ASSERT_EQ(logins.size(), 6u);
  EXPECT_EQ(logins[0].event.detail, R"({"device":"dddddddddddddddd","ip":"0123456789abcdef"})");
  EXPECT_EQ(logins[1].event.detail, R"({"ip":"0123456789abcdef"})");
  EXPECT_EQ(logins[5].event.detail, R"({"ip":"0123456789abcdef","locked":true})");
  // The whole hash is never recorded: 16 digits tell entries apart, no more.
  for (const AuditEntry& entry : logins) {
    EXPECT_EQ(entry.event.detail.find(ip), std::string::npos);
    EXPECT_EQ(entry.event.detail.find(device), std::string::npos);
  }

  // A customer's right password the risk engine refuses (a blocked network) is recorded too.
  ASSERT_EQ(Result(IssueOtp{kPhone, identity::OtpPurpose::kRegister, "otp"}), 0);
  ASSERT_EQ(Result(RegisterCustomer{{kPhone, "otp", "argon2", "social", ""}}), 0);
  Take();
  ASSERT_EQ(Result(SetRiskListEntry{admin, risk::EntityKind::kIp, RiskDeviceId(ip),
                                    risk::ListType::kBlock, 0, "botnet", false}),
            0);
  Take();
  EXPECT_EQ(Result(RecordLogin{1, true, device, ip}),
            static_cast<uint8_t>(IdentityResult::kRiskDenied));
  std::vector<AuditEntry> denied = Take();
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].event.action, "customer.login_denied");
  EXPECT_EQ(denied[0].event.detail, R"({"device":"dddddddddddddddd","ip":"0123456789abcdef"})");
}

TEST_F(AuditHooksTest, SignOutsAreRecordedButExpiriesAreNot) {
  const uint64_t admin = CreateAdmin();
  ASSERT_EQ(Result(IssueOtp{kPhone, identity::OtpPurpose::kRegister, "otp"}), 0);
  ASSERT_EQ(Result(RegisterCustomer{{kPhone, "otp", "argon2", "social", ""}}), 0);
  for (const char* hash : {"0123456789abcdef-self", "0123456789abcdef-other", "idle-hash"}) {
    ASSERT_EQ(Result(CreateSession{hash, 1, ""}), 0);
  }
  ASSERT_EQ(Result(CreateStaffSession{"staff-hash-0000000", admin}), 0);
  Take();

  // Idle expiry (no reason) and an unknown session record nothing.
  ASSERT_EQ(Result(RevokeSession{"idle-hash"}), 0);
  EXPECT_NE(Result(RevokeSession{"nobody", SignOut::kSelf}), 0);
  EXPECT_TRUE(Take().empty());

  ASSERT_EQ(Result(RevokeSession{"0123456789abcdef-self", SignOut::kSelf}), 0);
  ASSERT_EQ(Result(RevokeSession{"0123456789abcdef-other", SignOut::kFromOtherSession}), 0);
  ASSERT_EQ(Result(RevokeSession{"staff-hash-0000000", SignOut::kSelf}), 0);
  std::vector<AuditEntry> signed_out = Take();
  ASSERT_EQ(signed_out.size(), 3u);
  EXPECT_EQ(signed_out[0].event.action, "customer.sign_out");
  EXPECT_EQ(signed_out[0].event.actor_kind, ActorKind::kCustomer);
  EXPECT_EQ(signed_out[0].event.target, "customer:1");
  // The session's public id only, never its whole hash.
  EXPECT_EQ(signed_out[0].event.detail, R"({"session":"0123456789abcdef","by":"self"})");
  EXPECT_EQ(signed_out[1].event.detail, R"({"session":"0123456789abcdef","by":"other_session"})");
  EXPECT_EQ(signed_out[2].event.action, "staff.sign_out");
  EXPECT_EQ(signed_out[2].event.actor_id, admin);
}

TEST_F(AuditHooksTest, AnAccountClosureIsRecordedAndProjectedMasked) {
  ASSERT_EQ(Result(IssueOtp{kPhone, identity::OtpPurpose::kRegister, "otp"}), 0);
  ASSERT_EQ(Result(RegisterCustomer{{kPhone, "otp", "argon2", "social", ""}}), 0);
  ASSERT_EQ(Result(CreateSession{"token-hash", 1, ""}), 0);
  now_ns_ += 61'000'000'000;
  ASSERT_EQ(Result(IssueOtp{kPhone, identity::OtpPurpose::kCloseAccount, "close"}), 0);
  Take();
  // A wrong code changes nothing and records nothing.
  EXPECT_EQ(Result(CloseCustomer{1, "wrong"}), static_cast<uint8_t>(IdentityResult::kOtpMismatch));
  EXPECT_TRUE(Take().empty());

  Projection projection;
  state_.BeginBatch(now_ns_, &projection);
  Reply reply = state_.Apply(CloseCustomer{1, "close"});
  state_.EndBatch();
  ASSERT_EQ(reply.results[0], static_cast<uint8_t>(IdentityResult::kOk));
  ASSERT_EQ(projection.audit_entries.size(), 1u);
  const audit::AuditEvent& event = projection.audit_entries[0].event;
  EXPECT_EQ(event.action, "customer.close");
  EXPECT_EQ(event.actor_kind, ActorKind::kCustomer);
  EXPECT_EQ(event.actor_id, 1u);
  EXPECT_EQ(event.target, "customer:1");
  EXPECT_EQ(event.detail, R"({"sessions_revoked":1})");
  // The read model learns the closure, and the phone only masked.
  ASSERT_EQ(projection.customers.size(), 1u);
  EXPECT_EQ(projection.customers[0].closed_ns, now_ns_);
  EXPECT_EQ(projection.customers[0].phone, "138****8001");
}

TEST_F(AuditHooksTest, CustomerLogInsAndTierGrantsAreRecorded) {
  const uint64_t admin = CreateAdmin();
  Take();
  ASSERT_EQ(Result(IssueOtp{kPhone, identity::OtpPurpose::kRegister, "otp"}), 0);
  ASSERT_EQ(Result(RegisterCustomer{{kPhone, "otp", "argon2", "social", ""}}), 0);
  const uint64_t customer = 1;
  EXPECT_TRUE(Take().empty());  // Registration is not an audit event.

  EXPECT_EQ(Result(RecordLogin{customer, true}), 0);
  for (int i = 0; i < 5; i++) Result(RecordLogin{customer, false});
  std::vector<AuditEntry> logins = Take();
  ASSERT_EQ(logins.size(), 6u);
  EXPECT_EQ(logins[0].event.action, "customer.login");
  EXPECT_EQ(logins[0].event.actor_kind, ActorKind::kCustomer);
  EXPECT_EQ(logins[0].event.target, "customer:1");
  EXPECT_EQ(logins[1].event.action, "customer.login_failed");
  EXPECT_EQ(logins[5].event.detail, R"({"locked":true})");

  // Granting a tier: refused before verification (nothing), recorded after.
  EXPECT_NE(Result(GrantTier{customer, identity::WalletTier::kI, admin}), 0);
  EXPECT_TRUE(Take().empty());
  identity::VerifiedIdentity verified{"张三", "lookup", "sealed", "1101**********002X", 0};
  ASSERT_EQ(Result(VerifyIdentity{customer, verified}), 0);
  ASSERT_EQ(Result(GrantTier{customer, identity::WalletTier::kI, admin}), 0);
  std::vector<AuditEntry> grants = Take();
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].event.action, "customer.grant_tier");
  EXPECT_EQ(grants[0].event.actor_kind, ActorKind::kStaff);
  EXPECT_EQ(grants[0].event.actor_id, admin);
  EXPECT_EQ(grants[0].event.target, "customer:1");
}

TEST_F(AuditHooksTest, CustomListEditsAreRecordedWithCountsNotMembers) {
  const uint64_t admin = CreateAdmin();
  Take();
  Reply created = Run(EditCustomerList{admin, CustomerListOp::kCreate, 0, "老客", {}});
  ASSERT_EQ(created.results[0], 0);
  const auto list = static_cast<uint32_t>(created.value);
  ASSERT_EQ(Result(EditCustomerList{admin, CustomerListOp::kAdd, list, "", {12345}}), 0);
  ASSERT_EQ(Result(EditCustomerList{admin, CustomerListOp::kDelete, list, "", {}}), 0);
  // Refused (the list is gone): not recorded.
  EXPECT_NE(Result(EditCustomerList{admin, CustomerListOp::kDelete, list, "", {}}), 0);
  std::vector<AuditEntry> entries = Take();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].event.action, "customer_list.create");
  EXPECT_EQ(entries[0].event.target, "customer_list:" + std::to_string(list));
  EXPECT_EQ(entries[1].event.action, "customer_list.add");
  EXPECT_EQ(entries[1].event.detail, R"({"listed":1,"changed":0})");  // 12345 is nobody
  EXPECT_EQ(entries[2].event.action, "customer_list.delete");
}

TEST_F(AuditHooksTest, MerchantActionsAreRecordedWithoutSecrets) {
  const uint64_t admin = CreateAdmin();
  Take();
  // A self-service application is not a staff action; its review is.
  Reply applied = Run(ApplyMerchant{Profile(), {"self", "self", "argon2", 0}, 0, false});
  ASSERT_EQ(applied.results[0], 0);
  const uint64_t self_service = applied.value;
  EXPECT_TRUE(Take().empty());
  ASSERT_EQ(Result(ReviewMerchant{self_service, admin, payments::MerchantStatus::kActive}), 0);
  Reply onboarded = Run(ApplyMerchant{Profile(), {"shop", "shop", "argon2", 0}, admin, true});
  ASSERT_EQ(onboarded.results[0], 0);
  const uint64_t shop = onboarded.value;
  const uint64_t owner = std::stoull(onboarded.text);
  std::vector<AuditEntry> staff_actions = Take();
  ASSERT_EQ(staff_actions.size(), 2u);
  EXPECT_EQ(staff_actions[0].event.action, "merchant.review");
  EXPECT_EQ(staff_actions[0].event.detail, R"({"status":"active"})");
  EXPECT_EQ(staff_actions[1].event.action, "merchant.onboard");
  EXPECT_EQ(staff_actions[1].event.target, "merchant:" + std::to_string(shop));

  ASSERT_EQ(Result(IssueApiKey{shop, {"mk_1", "SEALED-SECRET", 0, false}}), 0);
  ASSERT_EQ(Result(RevokeApiKey{shop, "mk_1"}), 0);
  EXPECT_NE(Result(RevokeApiKey{shop, "mk_none"}), 0);
  ASSERT_EQ(Result(RotateWebhookSecret{shop, owner}), 0);
  EXPECT_NE(Result(RotateWebhookSecret{shop, owner + 100}), 0);
  Reply cashier =
      Run(CreateMerchantUser{shop, {"till", "Till", "argon2", payments::kMerchantCashier}});
  ASSERT_EQ(cashier.results[0], 0);
  ASSERT_EQ(Result(SetMerchantUserStatus{shop, cashier.value, false, owner}), 0);
  ASSERT_EQ(Result(SetMerchantUserStatus{shop, cashier.value, false, owner}), 0);  // No change.
  ASSERT_EQ(Result(SetMerchantUserStatus{shop, cashier.value, true, owner}), 0);
  std::vector<AuditEntry> merchant = Take();
  ASSERT_EQ(merchant.size(), 5u);
  EXPECT_EQ(merchant[0].event.action, "merchant.api_key_issue");
  EXPECT_EQ(merchant[0].event.detail, R"({"key_id":"mk_1"})");
  EXPECT_EQ(merchant[1].event.action, "merchant.api_key_revoke");
  EXPECT_EQ(merchant[2].event.action, "merchant.webhook_secret_rotate");
  EXPECT_EQ(merchant[2].event.actor_kind, ActorKind::kMerchantUser);
  EXPECT_EQ(merchant[2].event.actor_id, owner);
  EXPECT_EQ(merchant[2].event.detail, R"({"version":1})");
  EXPECT_EQ(merchant[3].event.action, "merchant_user.disable");
  EXPECT_EQ(merchant[3].event.target, "merchant_user:" + std::to_string(cashier.value));
  EXPECT_EQ(merchant[4].event.action, "merchant_user.enable");
  for (const AuditEntry& entry : entries_) {
    EXPECT_EQ(entry.event.detail.find("SEALED-SECRET"), std::string::npos);
  }
}

TEST_F(AuditHooksTest, RecordAuditAppendsAtTheBatchTimeAndRefusesInvalidEvents) {
  audit::AuditEvent event{123,          ActorKind::kStaff, 7,
                          "pii.reveal", "customer:3",      R"({"reason":"ticket 42"})"};
  EXPECT_TRUE(StateMachine::IsValid(RecordAudit{event}));
  Reply reply = Run(RecordAudit{event});
  ASSERT_EQ(reply.results[0], static_cast<uint8_t>(AuditResult::kOk));
  EXPECT_EQ(reply.value, 1u);
  std::vector<AuditEntry> recorded = Take();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].event.time_ns, kBatchNs);  // Not the time the API sent.
  EXPECT_EQ(recorded[0].event.action, "pii.reveal");

  audit::AuditEvent bad = event;
  bad.action = "PII Reveal";
  EXPECT_FALSE(StateMachine::IsValid(RecordAudit{bad}));
  EXPECT_EQ(Result(RecordAudit{bad}), static_cast<uint8_t>(AuditResult::kInvalidEvent));
  bad = event;
  bad.detail.assign(audit::kMaxDetailBytes + 1, 'x');
  EXPECT_FALSE(StateMachine::IsValid(RecordAudit{bad}));
  EXPECT_TRUE(Take().empty());
  EXPECT_EQ(state_.audit_chain().seq(), 1u);
}

TEST_F(AuditHooksTest, TheProjectedEntriesFormTheChainTheStateEndsAt) {
  const uint64_t admin = CreateAdmin();
  Result(RecordStaffLogin{admin, true});
  Result(RecordAudit{{0, ActorKind::kStaff, admin, "report.export", "", ""}});
  ASSERT_EQ(entries_.size(), 3u);
  const audit::AuditVerifyResult result =
      audit::VerifyAuditChain(entries_, 0, Digest{}, state_.audit_chain().head());
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(state_.audit_chain().seq(), 3u);
}

TEST_F(AuditHooksTest, AnEmptyChainLeavesTheStateHashAndBytesAsBefore) {
  Run(Accounts({Clearing(1), Wallet(2)}));
  ASSERT_EQ(state_.audit_chain().seq(), 0u);
  // The hash as it was computed before the audit chain existed.
  Hasher hasher;
  hasher.Update(state_.ledger().StateHash());
  hasher.Update(state_.customers().StateHash());
  hasher.Update(state_.staff().StateHash());
  EXPECT_EQ(state_.StateHash(), hasher.Finish());

  std::string before;
  state_.Serialize(&before);
  CreateAdmin();
  std::string after;
  state_.Serialize(&after);
  // The audit trailer: length:u64, seq:u64, head:32 bytes.
  ASSERT_GT(after.size(), 48u);
  const std::string old_layout = after.substr(0, after.size() - 48);
  StateMachine old;
  ASSERT_TRUE(old.Deserialize(old_layout));  // A state written before the audit chain.
  EXPECT_EQ(old.audit_chain().seq(), 0u);
  EXPECT_EQ(old.staff().staff_count(), 1u);

  StateMachine copy;
  ASSERT_TRUE(copy.Deserialize(after));
  EXPECT_EQ(copy.audit_chain().seq(), 1u);
  EXPECT_EQ(copy.audit_chain().head(), state_.audit_chain().head());
  EXPECT_EQ(copy.StateHash(), state_.StateHash());
  EXPECT_NE(old.StateHash(), state_.StateHash());  // The head is part of the hash.
  // A trailer with a zero seq or the wrong length is refused.
  std::string bad = after;
  std::memset(bad.data() + bad.size() - 40, 0, 8);
  EXPECT_FALSE(StateMachine().Deserialize(bad));
  EXPECT_FALSE(StateMachine().Deserialize(after.substr(0, after.size() - 1)));
}

TEST_F(AuditHooksTest, PaymentPinChangesAndLocksAreRecordedWithoutThePin) {
  ASSERT_EQ(Result(IssueOtp{kPhone, identity::OtpPurpose::kRegister, "otp"}), 0);
  ASSERT_EQ(Result(RegisterCustomer{{kPhone, "otp", "argon2", "social", ""}}), 0);
  const uint64_t customer = 1;
  using identity::PinAuthorization;
  ASSERT_EQ(
      Result(SetPaymentPin{customer, {PinAuthorization::kFirstSet, "PIN-HASH-1", false, "", ""}}),
      0);
  // A second first-set is refused and leaves nothing.
  EXPECT_NE(
      Result(SetPaymentPin{customer, {PinAuthorization::kFirstSet, "PIN-HASH-X", false, "", ""}}),
      0);
  ASSERT_EQ(
      Result(SetPaymentPin{customer, {PinAuthorization::kChange, "PIN-HASH-2", true, "", ""}}), 0);
  std::vector<AuditEntry> changes = Take();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].event.action, "customer.pin_set");
  EXPECT_EQ(changes[0].event.actor_kind, ActorKind::kCustomer);
  EXPECT_EQ(changes[0].event.actor_id, customer);
  EXPECT_EQ(changes[0].event.target, "customer:1");
  EXPECT_EQ(changes[1].event.action, "customer.pin_change");

  // Four wrong PINs are counted, not recorded; the fifth locks, and is; tries while locked are
  // not (the lock changes nothing then).
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(Result(RecordPinAttempt{customer, false}),
              static_cast<uint8_t>(IdentityResult::kPinMismatch));
  }
  EXPECT_TRUE(Take().empty());
  EXPECT_EQ(Result(RecordPinAttempt{customer, false}),
            static_cast<uint8_t>(IdentityResult::kPinLocked));
  EXPECT_EQ(Result(RecordPinAttempt{customer, true}),
            static_cast<uint8_t>(IdentityResult::kPinLocked));
  EXPECT_EQ(
      Result(SetPaymentPin{customer, {PinAuthorization::kChange, "PIN-HASH-3", true, "", ""}}),
      static_cast<uint8_t>(IdentityResult::kPinLocked));
  std::vector<AuditEntry> locks = Take();
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_EQ(locks[0].event.action, "customer.pin_locked");
  EXPECT_EQ(locks[0].event.target, "customer:1");
  EXPECT_NE(locks[0].event.detail.find("until_ns"), std::string::npos);

  // A reset (SMS code and resident ID) lifts the lock and is recorded as such.
  identity::VerifiedIdentity verified{"张三", "ID-LOOKUP", "sealed", "1101**********002X", 0};
  ASSERT_EQ(Result(VerifyIdentity{customer, verified}), 0);
  now_ns_ += int64_t{61} * 1'000'000'000;  // One code a minute per phone.
  ASSERT_EQ(Result(IssueOtp{kPhone, identity::OtpPurpose::kResetPin, "OTP-HASH"}), 0);
  identity::PinChange reset{PinAuthorization::kReset, "PIN-HASH-4", false, "OTP-HASH", "ID-LOOKUP"};
  ASSERT_EQ(Result(SetPaymentPin{customer, reset}), 0);
  std::vector<AuditEntry> resets = Take();
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].event.action, "customer.pin_reset");
  for (const AuditEntry& entry : entries_) {
    EXPECT_EQ(entry.event.detail.find("PIN-HASH"), std::string::npos);
    EXPECT_EQ(entry.event.detail.find("OTP-HASH"), std::string::npos);
    EXPECT_EQ(entry.event.detail.find("ID-LOOKUP"), std::string::npos);
  }
  const audit::AuditVerifyResult result =
      audit::VerifyAuditChain(entries_, 0, Digest{}, state_.audit_chain().head());
  EXPECT_TRUE(result.ok) << result.problem;
}

class AuditEngineTest : public CustomerEngineTest {
 protected:
  void WaitProjected() {
    uint64_t last = 0, projected = 0;
    ASSERT_TRUE(store_->inner()->LastJournalSeq(&last).ok());
    for (int i = 0; i < 500 && projected < last; i++) {
      ASSERT_TRUE(store_->inner()->ProjectedSeq(&projected).ok());
      if (projected < last) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(projected, last);
  }
  audit::AuditChain Head() {
    audit::AuditChain head;
    Query([&](const StateMachine& s) { head = s.audit_chain(); });
    return head;
  }
};

TEST_F(AuditEngineTest, TheChainContinuesAcrossCheckpointAndRestart) {
  EngineOptions options;
  options.checkpoint_on_stop = true;
  OpenEngine(options);
  ASSERT_EQ(Result(CreateStaff{{"admin", "Admin", "argon2", identity::kAllStaffRoles}}), 0);
  ASSERT_EQ(Result(RecordAudit{{0, ActorKind::kStaff, 1, "ledger.verification_view", "", ""}}), 0);
  const audit::AuditChain before = Head();
  EXPECT_EQ(before.seq(), 2u);
  Restart();
  EXPECT_NE(engine_->recovery_report().checkpoint_seq, 0u);
  EXPECT_EQ(Head().seq(), before.seq());
  EXPECT_EQ(Head().head(), before.head());
  clock_.Advance(kNsPerMs);
  ASSERT_EQ(Result(RecordStaffLogin{1, false}), 0);
  EXPECT_EQ(Head().seq(), 3u);
  WaitProjected();

  std::vector<AuditEntry> rows;
  ASSERT_TRUE(store_->inner()->ReadAuditEntries(1, 100, &rows).ok());
  ASSERT_EQ(rows.size(), 3u);
  const audit::AuditVerifyResult result = audit::VerifyAuditChain(rows, 0, Digest{}, Head().head());
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(rows[2].event.action, "staff.login_failed");

  // And again, from the checkpoint written on this stop.
  const audit::AuditChain after = Head();
  Restart();
  EXPECT_EQ(Head().head(), after.head());
}

}  // namespace
}  // namespace qb::engine::testing
