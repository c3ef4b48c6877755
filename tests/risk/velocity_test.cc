#include "risk/velocity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace qb::risk {
namespace {

// A time aligned to every bucket width (3 days divides it), so bucket edges fall on round
// offsets from it.
constexpr int64_t kBaseS = int64_t{6559} * 3 * 24 * 3600;
static_assert(kBaseS % (3 * 24 * 3600) == 0 && kBaseS % 7200 == 0 && kBaseS % 600 == 0);

constexpr int64_t kDayS = 24 * 3600;

TEST(RiskVelocityTest, UnknownKeyIsAllZero) {
  VelocityTable table(10);
  EXPECT_EQ(table.Query(42, kBaseS), VelocityTotals{});
  EXPECT_EQ(table.size(), 0u);
}

TEST(RiskVelocityTest, CountsAndAmountsAddUpInEveryWindow) {
  VelocityTable table(10);
  table.Record(7, kBaseS + 1, 100);
  table.Record(7, kBaseS + 2, 250);
  table.Record(8, kBaseS + 2, 999);  // another key is separate
  const VelocityTotals totals = table.Query(7, kBaseS + 3);
  for (const Window window :
       {Window::k1Minute, Window::k1Hour, Window::k24Hours, Window::k30Days}) {
    EXPECT_EQ(totals[window].count, 2);
    EXPECT_EQ(totals[window].amount_fen, 350);
  }
}

// For each window: an event in the first second of a bucket is counted until the start of the
// bucket (length / width + 1) buckets later, and not a second longer; likewise one in the last
// second of its bucket. So an event at t is still counted at t + length, and gone by
// t + length + width.
TEST(RiskVelocityTest, EventsSlideOutExactlyAtBucketGranularity) {
  for (size_t w = 0; w < kWindowCount; ++w) {
    const WindowLayout layout = kWindowLayouts[w];
    const int64_t slide_out_s = kBaseS + (layout.length_s / layout.bucket_s + 1) * layout.bucket_s;
    for (const int64_t offset_s : {int64_t{0}, layout.bucket_s - 1}) {
      VelocityTable table(10);
      table.Record(1, kBaseS + offset_s, 500);
      EXPECT_EQ(table.Query(1, slide_out_s - 1).windows[w].count, 1) << w << " " << offset_s;
      EXPECT_EQ(table.Query(1, slide_out_s - 1).windows[w].amount_fen, 500);
      EXPECT_EQ(table.Query(1, slide_out_s).windows[w].count, 0) << w << " " << offset_s;
      EXPECT_EQ(table.Query(1, slide_out_s).windows[w].amount_fen, 0);
      EXPECT_GT(slide_out_s - (kBaseS + offset_s), layout.length_s);
      EXPECT_LE(slide_out_s - (kBaseS + offset_s), layout.length_s + layout.bucket_s);
    }
  }
}

// A bucket's amount saturates at INT64_MAX, and so does a window's sum; once the saturated
// bucket slides out, the window again holds the exact sum of the buckets left (the running
// totals are exact underneath).
TEST(RiskVelocityTest, SaturatedSumsRecoverWhenTheBigBucketSlidesOut) {
  constexpr int64_t kHalf = INT64_MAX / 2 + 1;
  VelocityTable table(10);
  table.Record(1, kBaseS, kHalf);
  table.Record(1, kBaseS + 1, kHalf);  // the bucket saturates
  table.Record(1, kBaseS + 3 * kDayS, kHalf);
  table.Record(1, kBaseS + 3 * kDayS + 1, 5);
  const VelocityTotals both = table.Query(1, kBaseS + 3 * kDayS + 2);
  EXPECT_EQ(both[Window::k30Days].count, 4);
  EXPECT_EQ(both[Window::k30Days].amount_fen, INT64_MAX);
  // The first 3-day bucket slides out of the 30-day window 33 days after it began.
  const VelocityTotals later = table.Query(1, kBaseS + 33 * kDayS);
  EXPECT_EQ(later[Window::k30Days].count, 2);
  EXPECT_EQ(later[Window::k30Days].amount_fen, kHalf + 5);
  // The same after a round trip through the serialized form, which holds no totals.
  std::string bytes;
  table.Serialize(&bytes);
  VelocityTable loaded(1);
  ASSERT_TRUE(VelocityTable::Deserialize(bytes, &loaded).ok());
  EXPECT_EQ(loaded.Query(1, kBaseS + 3 * kDayS + 2), both);
  EXPECT_EQ(loaded.Query(1, kBaseS + 33 * kDayS), later);
  EXPECT_TRUE(loaded == table);
}

TEST(RiskVelocityTest, DocumentedWindowExamples) {
  VelocityTable table(10);
  table.Record(1, kBaseS + 5, 100);  // in the 10 s bucket [base, base + 10)
  EXPECT_EQ(table.Query(1, kBaseS + 69)[Window::k1Minute].count, 1);
  EXPECT_EQ(table.Query(1, kBaseS + 70)[Window::k1Minute].count, 0);
  EXPECT_EQ(table.Query(1, kBaseS + 70)[Window::k1Hour].count, 1);
  EXPECT_EQ(table.Query(1, kBaseS + 4199)[Window::k1Hour].count, 1);  // 7 buckets of 10 min
  EXPECT_EQ(table.Query(1, kBaseS + 4200)[Window::k1Hour].count, 0);
  EXPECT_EQ(table.Query(1, kBaseS + 26 * 3600 - 1)[Window::k24Hours].count, 1);
  EXPECT_EQ(table.Query(1, kBaseS + 26 * 3600)[Window::k24Hours].count, 0);
  EXPECT_EQ(table.Query(1, kBaseS + 33 * kDayS - 1)[Window::k30Days].count, 1);
  EXPECT_EQ(table.Query(1, kBaseS + 33 * kDayS)[Window::k30Days].count, 0);
}

TEST(RiskVelocityTest, RecordingAfterAGapClearsStaleBuckets) {
  VelocityTable table(10);
  table.Record(1, kBaseS, 100);
  table.Record(1, kBaseS + 65, 200);  // the first is still in the 1-minute window
  EXPECT_EQ(table.Query(1, kBaseS + 65)[Window::k1Minute].count, 2);
  // 1,000 s later the ring has wrapped: the old buckets must not reappear.
  table.Record(1, kBaseS + 1065, 400);
  EXPECT_EQ(table.Query(1, kBaseS + 1065)[Window::k1Minute],
            (WindowTotals{.count = 1, .amount_fen = 400}));
  EXPECT_EQ(table.Query(1, kBaseS + 1065)[Window::k1Hour],
            (WindowTotals{.count = 3, .amount_fen = 700}));
  // A year later everything but the new event is gone.
  table.Record(1, kBaseS + 365 * kDayS, 1);
  for (const WindowTotals& window : table.Query(1, kBaseS + 365 * kDayS).windows) {
    EXPECT_EQ(window, (WindowTotals{.count = 1, .amount_fen = 1}));
  }
}

TEST(RiskVelocityTest, TimeGoingBackwardsCountsAsTheLastEventTime) {
  VelocityTable table(10);
  table.Record(1, kBaseS + 100, 1);
  table.Record(1, kBaseS + 50, 2);
  EXPECT_EQ(table.Query(1, kBaseS)[Window::k1Minute].count, 2);
  EXPECT_EQ(table.Query(1, kBaseS + 100 + 60)[Window::k1Minute].count, 2);
  EXPECT_EQ(table.Query(1, kBaseS + 100 + 70)[Window::k1Minute].count, 0);
}

// A brute-force model of the documented rule, against a long pseudo-random event stream whose
// gaps range from a second to weeks, so every ring wraps many times in every way.
TEST(RiskVelocityTest, MatchesTheDocumentedRuleOnARandomStream) {
  struct Event {
    int64_t time_s;
    int64_t amount_fen;
  };
  VelocityTable table(4);
  std::vector<Event> events;
  uint64_t state = 12345;
  const auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  int64_t now_s = kBaseS + 3;
  for (int step = 0; step < 3000; ++step) {
    const int64_t gaps[] = {1, 7, 60, 599, 3600, 7200 * 3, 5 * kDayS};
    now_s += static_cast<int64_t>(next(static_cast<uint64_t>(gaps[next(7)])));
    const auto amount = static_cast<int64_t>(next(100'000));
    table.Record(9, now_s, amount);
    events.push_back({now_s, amount});
    const int64_t query_s = now_s + static_cast<int64_t>(next(40 * kDayS));
    const VelocityTotals totals = table.Query(9, query_s);
    for (size_t w = 0; w < kWindowCount; ++w) {
      const WindowLayout layout = kWindowLayouts[w];
      WindowTotals expected;
      for (const Event& event : events) {
        if (query_s / layout.bucket_s - event.time_s / layout.bucket_s <=
            layout.length_s / layout.bucket_s) {
          ++expected.count;
          expected.amount_fen += event.amount_fen;
        }
      }
      ASSERT_EQ(totals.windows[w], expected) << "step " << step << " window " << w;
    }
  }
}

TEST(RiskVelocityTest, FullTableEvictsTheLeastRecentlyRecordedKey) {
  VelocityTable table(3);
  table.Record(1, kBaseS, 10);
  table.Record(2, kBaseS, 20);
  table.Record(3, kBaseS, 30);
  table.Record(1, kBaseS + 1, 11);  // key 1 is now the most recent; key 2 the least
  table.Record(4, kBaseS + 2, 40);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.evicted_when_full(), 1u);
  EXPECT_EQ(table.Query(2, kBaseS + 2)[Window::k1Minute].count, 0);
  EXPECT_EQ(table.Query(1, kBaseS + 2)[Window::k1Minute].count, 2);
  EXPECT_EQ(table.Query(3, kBaseS + 2)[Window::k1Minute].count, 1);
  EXPECT_EQ(table.Query(4, kBaseS + 2)[Window::k1Minute].count, 1);
  table.Record(5, kBaseS + 3, 50);  // now key 3 goes
  EXPECT_EQ(table.Query(3, kBaseS + 3)[Window::k1Minute].count, 0);
  EXPECT_EQ(table.Query(1, kBaseS + 3)[Window::k1Minute].count, 2);
}

// The cache hints are only hints: for present and absent keys, newest, oldest and middle, they
// change neither the state nor the eviction order.
TEST(RiskVelocityTest, PrefetchHintsChangeNothing) {
  VelocityTable table(3);
  table.Record(1, kBaseS, 10);
  table.Record(2, kBaseS, 20);
  table.Record(3, kBaseS, 30);
  const Digest before = table.StateHash();
  for (uint64_t key : {1, 2, 3, 9}) {
    table.PrefetchIndex(key);
    table.PrefetchNode(key);
    table.PrefetchNeighbors(key);
  }
  EXPECT_EQ(table.StateHash(), before);
  table.Record(4, kBaseS + 1, 40);  // key 1 is still the least recently recorded
  EXPECT_EQ(table.Query(1, kBaseS + 1)[Window::k1Minute].count, 0);
  EXPECT_EQ(table.Query(2, kBaseS + 1)[Window::k1Minute].count, 1);
}

TEST(RiskVelocityTest, AdvanceForgetsOnlyEntitiesWithNothingLeftToCount) {
  VelocityTable table(10);
  table.Record(1, kBaseS, 10);
  table.Record(2, kBaseS + 3 * kDayS, 20);
  const int64_t first_empty_s = kBaseS + 33 * kDayS;  // key 1's 30-day window empties here
  EXPECT_EQ(table.Advance(first_empty_s - 1), 0u);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.Advance(first_empty_s), 1u);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.Query(2, first_empty_s)[Window::k30Days].count, 1);
  EXPECT_EQ(table.Advance(first_empty_s + 3 * kDayS), 1u);
  EXPECT_EQ(table.size(), 0u);
}

// Two tables fed the same calls are equal, hash equal, and serialize to the same bytes; a
// round trip through Serialize/Deserialize gives an equal table that keeps behaving the same
// (including which key a full table evicts next).
TEST(RiskVelocityTest, SerializeRoundTripAndDeterminism) {
  const auto feed = [](VelocityTable* table) {
    for (int64_t i = 0; i < 50; ++i) {
      table->Record(static_cast<uint64_t>(i % 7), kBaseS + i * 977, i * 13);
    }
    table->Advance(kBaseS + 50 * 977);
  };
  VelocityTable a(5);
  VelocityTable b(5);
  feed(&a);
  feed(&b);
  EXPECT_TRUE(a == b);
  EXPECT_EQ(a.StateHash(), b.StateHash());
  std::string bytes;
  a.Serialize(&bytes);
  VelocityTable restored(1);
  ASSERT_TRUE(VelocityTable::Deserialize(bytes, &restored).ok());
  EXPECT_TRUE(restored == a);
  EXPECT_EQ(restored.StateHash(), a.StateHash());
  std::string again;
  restored.Serialize(&again);
  EXPECT_EQ(again, bytes);

  a.Record(100, kBaseS + 60'000, 1);
  restored.Record(100, kBaseS + 60'000, 1);
  EXPECT_TRUE(restored == a);
  EXPECT_EQ(restored.Query(3, kBaseS + 60'000), a.Query(3, kBaseS + 60'000));

  b.Record(101, kBaseS + 60'000, 1);  // a different history is a different state
  EXPECT_FALSE(b == a);
  EXPECT_NE(b.StateHash(), a.StateHash());
}

TEST(RiskVelocityTest, DeserializeRejectsCorruptInput) {
  VelocityTable table(4);
  table.Record(1, kBaseS, 5);
  table.Record(2, kBaseS, 6);
  std::string bytes;
  table.Serialize(&bytes);
  VelocityTable out(1);
  EXPECT_EQ(VelocityTable::Deserialize(bytes.substr(0, bytes.size() - 1), &out).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(VelocityTable::Deserialize(bytes + "x", &out).code(), Status::Code::kCorruption);
  EXPECT_EQ(VelocityTable::Deserialize("", &out).code(), Status::Code::kCorruption);
  std::string bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_EQ(VelocityTable::Deserialize(bad_magic, &out).code(), Status::Code::kCorruption);
  // The second entity's key made equal to the first's.
  std::string duplicate = bytes;
  const size_t entity_bytes = 16 + VelocityTable::kBucketCount * 12;
  duplicate.replace(20 + entity_bytes, 8, bytes.substr(20, 8));
  EXPECT_EQ(VelocityTable::Deserialize(duplicate, &out).code(), Status::Code::kCorruption);
  // A failed load leaves the target untouched.
  EXPECT_EQ(out.size(), 0u);
}

}  // namespace
}  // namespace qb::risk
