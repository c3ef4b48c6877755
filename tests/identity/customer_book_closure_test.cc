// Account closure in the customer book (PIPL): the code it needs, what it erases, what it
// releases (phone, one-identity-one-wallet) and keeps (the sealed identity), the sessions it
// ends, what a closed customer can no longer do, and the checkpoint's closures trailer.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "identity/customer_book.h"

namespace qb::identity {
namespace {

constexpr int64_t kSecond = kNsPerSecond;
// 2026-11-22 02:00 UTC.
constexpr int64_t kStart = int64_t{1'795'312'800} * kNsPerSecond;
constexpr char kPhone[] = "13800138000";
constexpr uint64_t kId = 7;

class ClosureBookTest : public ::testing::Test {
 protected:
  void SetUp() override { Register(kPhone, kId, kStart); }

  void Register(const std::string& phone, uint64_t id, int64_t now_ns) {
    ASSERT_EQ(book_.IssueOtp(phone, OtpPurpose::kRegister, "reg-hash", now_ns),
              IdentityResult::kOk);
    ASSERT_EQ(book_.Register(Registration{phone, "reg-hash", "argon2-hash", "campus", ""}, id,
                             1000 + id, now_ns),
              IdentityResult::kOk);
  }
  // Gives the customer every secret closing must erase.
  void Equip(uint64_t id, const std::string& id_hash, const std::string& card_hash) {
    VerifiedIdentity identity{"张三", id_hash, "sealed-id", "1****************X", 0};
    ASSERT_EQ(book_.VerifyIdentity(id, identity, kStart), IdentityResult::kOk);
    BoundCard card;
    card.lookup_hash = card_hash;
    card.pan_sealed = "sealed-pan";
    ASSERT_EQ(book_.BindCard(id, card, book_.next_card_id(), kStart), IdentityResult::kOk);
    PinChange pin;
    pin.pin_hash = "argon2-pin";
    ASSERT_EQ(book_.SetPaymentPin(id, pin, kStart), IdentityResult::kOk);
    ASSERT_EQ(book_.RecordPinAttempt(id, false, kStart), IdentityResult::kPinMismatch);
    ASSERT_EQ(book_.BeginTotpEnrolment(id, "sealed-secret"), IdentityResult::kOk);
    ASSERT_EQ(book_.ConfirmTotp(id, "sealed-secret", 100, {"r1", "r2"}), IdentityResult::kOk);
  }
  IdentityResult Close(uint64_t id, const std::string& phone, int64_t now_ns,
                       std::vector<std::string>* revoked = nullptr) {
    EXPECT_EQ(book_.IssueOtp(phone, OtpPurpose::kCloseAccount, "close-hash", now_ns),
              IdentityResult::kOk);
    return book_.Close(id, "close-hash", now_ns, revoked);
  }
  const Customer& customer() const { return *book_.FindById(kId); }
  CustomerBook book_;
};

TEST_F(ClosureBookTest, NeedsACloseAccountCodeForTheCustomersPhone) {
  // A phone gets one code a minute: the registration's was at kStart.
  const int64_t now = kStart + 61 * kSecond;
  EXPECT_EQ(book_.Close(kId, "", now, nullptr), IdentityResult::kInvalid);
  EXPECT_EQ(book_.Close(99, "close-hash", now, nullptr), IdentityResult::kCustomerNotFound);
  // No code issued; then a code of another purpose does not do.
  EXPECT_EQ(book_.Close(kId, "close-hash", now, nullptr), IdentityResult::kOtpNotFound);
  ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kLogin, "close-hash", now), IdentityResult::kOk);
  EXPECT_EQ(book_.Close(kId, "close-hash", now, nullptr), IdentityResult::kOtpNotFound);
  ASSERT_EQ(book_.IssueOtp(kPhone, OtpPurpose::kCloseAccount, "close-hash", now + 61 * kSecond),
            IdentityResult::kOk);
  EXPECT_EQ(book_.Close(kId, "wrong-hash", now + 61 * kSecond, nullptr),
            IdentityResult::kOtpMismatch);
  EXPECT_FALSE(customer().closed());
  ASSERT_EQ(book_.Close(kId, "close-hash", now + 62 * kSecond, nullptr), IdentityResult::kOk);
  EXPECT_TRUE(customer().closed());
  EXPECT_EQ(customer().closed_ns, now + 62 * kSecond);
  // The code is spent, and a closed account does not close twice.
  EXPECT_EQ(book_.Close(kId, "close-hash", now + 63 * kSecond, nullptr),
            IdentityResult::kCustomerClosed);
}

TEST_F(ClosureBookTest, ErasesSecretsEndsSessionsAndReleasesPhoneAndIdentity) {
  Equip(kId, "id-hash", "card-hash");
  ASSERT_EQ(book_.CreateSession("s2", kId, kStart), IdentityResult::kOk);
  ASSERT_EQ(book_.CreateSession("s1", kId, kStart), IdentityResult::kOk);
  Register("13900139000", 8, kStart);
  ASSERT_EQ(book_.CreateSession("other", 8, kStart), IdentityResult::kOk);

  std::vector<std::string> revoked;
  ASSERT_EQ(Close(kId, kPhone, kStart + 61 * kSecond, &revoked), IdentityResult::kOk);
  EXPECT_EQ(revoked, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(book_.FindSession("s1", kStart + 61 * kSecond), nullptr);
  EXPECT_NE(book_.FindSession("other", kStart + 61 * kSecond), nullptr);

  const Customer& c = customer();
  EXPECT_TRUE(c.password_hash.empty());
  EXPECT_FALSE(c.has_pin());
  EXPECT_EQ(c.pin_failed, 0u);
  EXPECT_EQ(c.totp_state, TotpState::kOff);
  EXPECT_TRUE(c.totp_secret_sealed.empty());
  EXPECT_TRUE(c.recovery_code_hashes.empty());
  EXPECT_TRUE(c.cards.empty());
  EXPECT_EQ(c.phone, "138****8000");
  // The sealed identity stays for the AML record-keeping period.
  ASSERT_TRUE(c.verified());
  EXPECT_EQ(c.identity->id_sealed, "sealed-id");

  // The phone is free: log-in finds nobody, and the number registers a new wallet, whose owner
  // may verify with the same identity and bind the same card.
  EXPECT_EQ(book_.FindByPhone(kPhone), nullptr);
  Register(kPhone, 9, kStart + 122 * kSecond);
  EXPECT_EQ(book_.FindByPhone(kPhone)->id, 9u);
  Equip(9, "id-hash", "card-hash");
}

TEST_F(ClosureBookTest, AClosedCustomerCanChangeNothing) {
  ASSERT_EQ(Close(kId, kPhone, kStart + 61 * kSecond), IdentityResult::kOk);
  const int64_t now = kStart + 62 * kSecond;
  EXPECT_EQ(book_.CreateSession("s", kId, now), IdentityResult::kCustomerClosed);
  EXPECT_EQ(book_.RecordLogin(kId, true, now), IdentityResult::kCustomerClosed);
  VerifiedIdentity identity{"张三", "id-hash", "sealed-id", "masked", 0};
  EXPECT_EQ(book_.VerifyIdentity(kId, identity, now), IdentityResult::kCustomerClosed);
  BoundCard card;
  card.lookup_hash = "card";
  card.pan_sealed = "pan";
  EXPECT_EQ(book_.BindCard(kId, card, book_.next_card_id(), now), IdentityResult::kCustomerClosed);
  PinChange pin;
  pin.pin_hash = "argon2-pin";
  EXPECT_EQ(book_.SetPaymentPin(kId, pin, now), IdentityResult::kCustomerClosed);
  EXPECT_EQ(book_.RecordPinAttempt(kId, true, now), IdentityResult::kCustomerClosed);
  EXPECT_EQ(book_.BeginTotpEnrolment(kId, "sealed"), IdentityResult::kCustomerClosed);
  EXPECT_EQ(book_.GrantTier(kId, WalletTier::kI), IdentityResult::kCustomerClosed);
  EXPECT_TRUE(book_.FindById(kId)->password_hash.empty());
}

TEST_F(ClosureBookTest, ClosuresTrailerRoundTripsAndOlderBytesStillLoad) {
  std::string before;
  book_.Serialize(&before);
  Register("13900139000", 8, kStart);
  std::string two_open;
  book_.Serialize(&two_open);
  ASSERT_EQ(Close(kId, kPhone, kStart + 61 * kSecond), IdentityResult::kOk);
  // The freed phone registers again: two records once held it.
  Register(kPhone, 9, kStart + 122 * kSecond);
  std::string closed;
  book_.Serialize(&closed);

  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(closed));
  EXPECT_EQ(loaded.StateHash(), book_.StateHash());
  EXPECT_EQ(*loaded.FindById(kId), customer());
  EXPECT_EQ(loaded.FindByPhone(kPhone)->id, 9u);
  // Nobody has PIN or TOTP state: both earlier trailers are written empty before the closures.
  const size_t closures_bytes = 8 + 16;
  EXPECT_EQ(closed.substr(closed.size() - closures_bytes - 16, 16), std::string(16, '\0'));

  // A book from before closures still loads, with everyone open.
  ASSERT_TRUE(loaded.Deserialize(two_open));
  EXPECT_FALSE(loaded.FindById(kId)->closed());
  ASSERT_TRUE(loaded.Deserialize(before));

  // Malformed: a truncated closure, an empty closures trailer, a closure of nobody.
  EXPECT_FALSE(loaded.Deserialize(closed.substr(0, closed.size() - 1)));
  EXPECT_FALSE(loaded.Deserialize(two_open + std::string(24, '\0')));
  std::string nobody = closed;
  nobody[closed.size() - 16] = 42;  // The closed customer's id.
  EXPECT_FALSE(loaded.Deserialize(nobody));
  std::string never = closed;
  for (size_t i = closed.size() - 8; i < closed.size(); i++) never[i] = 0;  // closed_ns 0.
  EXPECT_FALSE(loaded.Deserialize(never));
}

TEST_F(ClosureBookTest, PurgesIdentitiesEarliestClosureFirstOnceTheirPeriodEnds) {
  Equip(kId, "id-hash-7", "card-hash-7");
  Register("13900139000", 8, kStart);
  Register("13700137000", 9, kStart);
  ASSERT_EQ(Close(8, "13900139000", kStart + 100 * kSecond), IdentityResult::kOk);
  ASSERT_EQ(Close(kId, kPhone, kStart + 200 * kSecond), IdentityResult::kOk);
  std::vector<std::pair<uint64_t, int64_t>> purged;
  book_.PurgeIdentities(kStart + 100 * kSecond + kClosedIdentityRetentionNs - 1, 10, &purged);
  EXPECT_TRUE(purged.empty());
  // Both due; the limit takes the earliest closure first.
  const int64_t later = kStart + 200 * kSecond + kClosedIdentityRetentionNs;
  book_.PurgeIdentities(later, 1, &purged);
  ASSERT_EQ(purged.size(), 1u);
  EXPECT_EQ(purged[0], std::make_pair(uint64_t{8}, kStart + 100 * kSecond));
  EXPECT_EQ(book_.FindById(8)->phone, "");
  EXPECT_TRUE(customer().identity.has_value());

  // What is left of a purged customer round-trips; the one awaiting purge still awaits it.
  std::string bytes;
  book_.Serialize(&bytes);
  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  EXPECT_EQ(loaded.StateHash(), book_.StateHash());
  std::vector<std::pair<uint64_t, int64_t>> after_load;
  loaded.PurgeIdentities(later, 10, &after_load);
  ASSERT_EQ(after_load.size(), 1u);
  EXPECT_EQ(after_load[0].first, kId);
  EXPECT_FALSE(loaded.FindById(kId)->identity.has_value());
  EXPECT_EQ(loaded.FindById(kId)->phone, "");
  EXPECT_FALSE(loaded.FindById(9)->closed());  // Open customers are never touched.
  EXPECT_EQ(loaded.FindById(9)->phone, "13700137000");
}

}  // namespace
}  // namespace qb::identity
