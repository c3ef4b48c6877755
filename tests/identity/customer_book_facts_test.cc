// What age-band and win-back campaigns read from the customer book: the birth date kept with a
// verified identity, when money last moved, the ages they give, and the checkpoint's facts
// trailer.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "identity/calendar_date.h"
#include "identity/customer_book.h"

namespace qb::identity {
namespace {

// 2026-11-22 02:00 UTC.
constexpr int64_t kStart = int64_t{1'795'312'800} * kNsPerSecond;

// Days since 1970-01-01, by the standard library's calendar: a reference DateFromDays is
// checked against.
int64_t DaysFromCivil(int year, unsigned month, unsigned day) {
  const std::chrono::sys_days date{std::chrono::year{year} / std::chrono::month{month} /
                                   std::chrono::day{day}};
  return date.time_since_epoch().count();
}

void PutU32(std::string* bytes, size_t at, uint32_t value) {
  for (int i = 0; i < 4; i++) (*bytes)[at + i] = static_cast<char>(value >> (8 * i));
}

class FactsBookTest : public ::testing::Test {
 protected:
  void Register(const std::string& phone, uint64_t id) {
    ASSERT_EQ(book_.IssueOtp(phone, OtpPurpose::kRegister, "reg-hash", kStart),
              IdentityResult::kOk);
    ASSERT_EQ(book_.Register(Registration{phone, "reg-hash", "argon2-hash", "campus", ""}, id,
                             1000 + id, kStart),
              IdentityResult::kOk);
  }
  IdentityResult Verify(uint64_t id, uint32_t birth_date) {
    VerifiedIdentity identity{
        "张三", "id-hash-" + std::to_string(id), "sealed-id", "1****************X", 0, birth_date};
    return book_.VerifyIdentity(id, identity, kStart);
  }
  CustomerBook book_;
};

TEST(CalendarDateTest, AgeCountsWholeYearsAndLeapDayBirthdaysComeOnTheFirstOfMarch) {
  const CalendarDate birth{2000, 6, 15};
  EXPECT_EQ(AgeOn(birth, {2026, 6, 14}), 25);
  EXPECT_EQ(AgeOn(birth, {2026, 6, 15}), 26);
  EXPECT_EQ(AgeOn(birth, {2026, 12, 31}), 26);
  EXPECT_EQ(AgeOn(birth, {2000, 6, 14}), -1);
  const CalendarDate leap{2004, 2, 29};
  EXPECT_EQ(AgeOn(leap, {2025, 2, 28}), 20);
  EXPECT_EQ(AgeOn(leap, {2025, 3, 1}), 21);
  EXPECT_EQ(AgeOn(leap, {2028, 2, 29}), 24);

  EXPECT_EQ(PackDate({1990, 1, 2}), 19900102u);
  EXPECT_EQ(UnpackDate(19900102u), (CalendarDate{1990, 1, 2}));
  EXPECT_TRUE(IsPackedDate(20040229));
  EXPECT_FALSE(IsPackedDate(20050229));
  EXPECT_FALSE(IsPackedDate(19901301));
  EXPECT_FALSE(IsPackedDate(0));
}

TEST(CalendarDateTest, ChinaDateTurnsAtMidnightChinaTime) {
  // 2026-11-22 15:59:59 UTC is 23:59:59 in China; a second later it is the 23rd there.
  const int64_t before_midnight = (kStart / kNsPerSecond + 14 * 3600 - 1) * kNsPerSecond;
  EXPECT_EQ(ChinaDateAt(before_midnight), (CalendarDate{2026, 11, 22}));
  EXPECT_EQ(ChinaDateAt(before_midnight + kNsPerSecond), (CalendarDate{2026, 11, 23}));
  EXPECT_EQ(ChinaDateAt(0), (CalendarDate{1970, 1, 1}));
  EXPECT_EQ(ChinaDateAt(-int64_t{9} * 3600 * kNsPerSecond), (CalendarDate{1969, 12, 31}));
  // Every day of four years, against the date's day count.
  int64_t days = DaysFromCivil(2024, 1, 1);
  for (int i = 0; i < 4 * 366; i++, days++) {
    const CalendarDate date = DateFromDays(days);
    ASSERT_TRUE(IsValidCalendarDate(date));
    ASSERT_EQ(DaysFromCivil(date.year, static_cast<unsigned>(date.month),
                            static_cast<unsigned>(date.day)),
              days);
  }
}

TEST_F(FactsBookTest, TheBirthDateStaysWithTheIdentityAndBadOnesAreRefused) {
  Register("13800138000", 7);
  Register("13900139000", 8);
  EXPECT_EQ(Verify(7, 20050229), IdentityResult::kInvalid);
  ASSERT_EQ(Verify(7, 19900102), IdentityResult::kOk);
  EXPECT_EQ(book_.FindById(7)->identity->birth_date, 19900102u);
  ASSERT_EQ(Verify(8, 0), IdentityResult::kOk);  // verified before birth dates were kept
  EXPECT_EQ(book_.FindById(8)->identity->birth_date, 0u);
}

TEST_F(FactsBookTest, FactsTrailerRoundTripsAndABookWithoutFactsKeepsItsBytes) {
  Register("13800138000", 7);
  Register("13900139000", 8);
  Register("13700137000", 9);
  std::string without;
  book_.Serialize(&without);

  ASSERT_EQ(Verify(7, 19900102), IdentityResult::kOk);
  book_.MutableById(8)->last_money_ns = kStart + 5;
  std::string with;
  book_.Serialize(&with);
  // Nobody has PIN, TOTP or closure state: the three earlier trailers are written empty, then
  // two facts (ids 7 and 8) of 20 bytes after the count.
  const size_t facts_bytes = 8 + 2 * 20;
  ASSERT_GT(with.size(), facts_bytes + 24);
  EXPECT_EQ(with.substr(with.size() - facts_bytes - 24, 24), std::string(24, '\0'));

  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(with));
  EXPECT_EQ(loaded.StateHash(), book_.StateHash());
  EXPECT_EQ(loaded.FindById(7)->identity->birth_date, 19900102u);
  EXPECT_EQ(loaded.FindById(8)->last_money_ns, kStart + 5);
  EXPECT_EQ(loaded.FindById(9)->last_money_ns, 0);

  // Without facts nothing is appended: an older book's bytes, and it loads.
  ASSERT_TRUE(loaded.Deserialize(without));
  std::string again;
  loaded.Serialize(&again);
  EXPECT_EQ(again, without);

  // Malformed: truncated; a birth date that is no date; a birth date for an unverified
  // customer; a fact with nothing in it; an empty facts trailer.
  EXPECT_FALSE(loaded.Deserialize(with.substr(0, with.size() - 1)));
  const size_t first_fact = with.size() - 2 * 20;
  std::string bad_date = with;
  bad_date[first_fact + 8] = 0x7f;  // birth date of customer 7, low byte
  EXPECT_FALSE(loaded.Deserialize(bad_date));
  std::string unverified = with;
  unverified[first_fact + 20] = 9;                 // the second fact names customer 9...
  PutU32(&unverified, first_fact + 28, 19900102);  // ...with a birth date, but 9 is unverified
  EXPECT_FALSE(loaded.Deserialize(unverified));
  std::string empty_fact = with;
  for (size_t i = first_fact + 28; i < with.size(); i++) empty_fact[i] = 0;
  EXPECT_FALSE(loaded.Deserialize(empty_fact));
  EXPECT_FALSE(loaded.Deserialize(without + std::string(32, '\0')));
}

TEST_F(FactsBookTest, PurgingAClosedIdentityForgetsTheBirthDate) {
  Register("13800138000", 7);
  ASSERT_EQ(Verify(7, 19900102), IdentityResult::kOk);
  const int64_t close_ns = kStart + 61 * kNsPerSecond;  // past the SMS interval
  ASSERT_EQ(book_.IssueOtp("13800138000", OtpPurpose::kCloseAccount, "close", close_ns),
            IdentityResult::kOk);
  ASSERT_EQ(book_.Close(7, "close", close_ns, nullptr), IdentityResult::kOk);
  std::vector<std::pair<uint64_t, int64_t>> purged;
  book_.PurgeIdentities(close_ns + kClosedIdentityRetentionNs, 10, &purged);
  ASSERT_EQ(purged.size(), 1u);
  std::string bytes;
  book_.Serialize(&bytes);
  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  EXPECT_FALSE(loaded.FindById(7)->identity.has_value());
  EXPECT_EQ(loaded.StateHash(), book_.StateHash());
}

TEST_F(FactsBookTest, TheIdentityCounterKeyIsKeptWithTheIdentityAndAfterALoad) {
  Register("13800000001", 1);
  Register("13800000002", 2);
  ASSERT_EQ(Verify(1, 0), IdentityResult::kOk);
  ASSERT_EQ(Verify(2, 0), IdentityResult::kOk);
  const uint64_t one = book_.FindById(1)->identity->counter_key;
  const uint64_t two = book_.FindById(2)->identity->counter_key;
  EXPECT_EQ(one, IdentityCounterKey("id-hash-1"));
  EXPECT_NE(one, 0u);
  EXPECT_NE(one, two);
  EXPECT_EQ(IdentityCounterKey(""), 0u);
  // A key the caller made up is replaced by the book's own.
  VerifiedIdentity forged{"李四", "id-hash-3", "sealed-id", "1****************X", 0, 0};
  forged.counter_key = 42;
  Register("13800000003", 3);
  ASSERT_EQ(book_.VerifyIdentity(3, forged, kStart), IdentityResult::kOk);
  EXPECT_EQ(book_.FindById(3)->identity->counter_key, IdentityCounterKey("id-hash-3"));

  std::string bytes;
  book_.Serialize(&bytes);
  CustomerBook loaded;
  ASSERT_TRUE(loaded.Deserialize(bytes));
  EXPECT_EQ(loaded.FindById(1)->identity->counter_key, one);
  EXPECT_EQ(loaded.FindById(2)->identity->counter_key, two);
  EXPECT_EQ(*loaded.FindById(3), *book_.FindById(3));
}

}  // namespace
}  // namespace qb::identity
