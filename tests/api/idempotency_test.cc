#include "api/idempotency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace qb::api {
namespace {

constexpr int64_t kSecondNs = 1'000'000'000;

HttpResponse SampleResponse() {
  HttpResponse response;
  response.status = 201;
  response.body = R"({"id":"t1","amount":100})";
  response.headers = {{"Location", "/api/v1/transfers/t1"}, {"Cache-Control", "no-store"}};
  return response;
}

TEST(IdempotencyTest, KeyFormat) {
  EXPECT_TRUE(IsValidIdempotencyKey("a"));
  EXPECT_TRUE(IsValidIdempotencyKey("Abc-123_xyz"));
  EXPECT_TRUE(IsValidIdempotencyKey(std::string(64, 'k')));
  EXPECT_FALSE(IsValidIdempotencyKey(""));
  EXPECT_FALSE(IsValidIdempotencyKey(std::string(65, 'k')));
  for (std::string_view bad : {"a b", "a.b", "a/b", "ключ", "a\n", "a=b", "a+b"}) {
    EXPECT_FALSE(IsValidIdempotencyKey(bad)) << bad;
  }
}

TEST(IdempotencyTest, DigestCoversMethodPathAndBody) {
  Digest base = IdempotencyDigest("POST", "/a", "{}");
  EXPECT_EQ(base, IdempotencyDigest("POST", "/a", "{}"));
  EXPECT_NE(base, IdempotencyDigest("PUT", "/a", "{}"));
  EXPECT_NE(base, IdempotencyDigest("POST", "/b", "{}"));
  EXPECT_NE(base, IdempotencyDigest("POST", "/a", "{ }"));
  EXPECT_NE(IdempotencyDigest("POST", "/ab", "c"), IdempotencyDigest("POST", "/a", "bc"));
}

TEST(IdempotencyTest, NewCompleteReplay) {
  ManualClock clock(1000);
  IdempotencyCache cache(clock);
  Digest digest = IdempotencyDigest("POST", "/api/v1/transfers", "{\"amount\":100}");
  EXPECT_EQ(cache.Begin("c1", "key-1", digest).outcome, IdempotencyOutcome::kNew);
  EXPECT_EQ(cache.Begin("c1", "key-1", digest).outcome, IdempotencyOutcome::kInProgress);
  cache.Complete("c1", "key-1", SampleResponse());
  for (int i = 0; i < 2; ++i) {
    IdempotencyBegin again = cache.Begin("c1", "key-1", digest);
    ASSERT_EQ(again.outcome, IdempotencyOutcome::kReplay);
    EXPECT_EQ(again.response.status, 201);
    EXPECT_EQ(again.response.body, SampleResponse().body);
    EXPECT_EQ(again.response.content_type, SampleResponse().content_type);
    EXPECT_EQ(again.response.headers, SampleResponse().headers);
  }
  // Another principal has its own key space.
  EXPECT_EQ(cache.Begin("c2", "key-1", digest).outcome, IdempotencyOutcome::kNew);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(IdempotencyTest, SameKeyOtherBodyIsMismatch) {
  ManualClock clock(0);
  IdempotencyCache cache(clock);
  Digest first = IdempotencyDigest("POST", "/p", "{\"amount\":100}");
  Digest second = IdempotencyDigest("POST", "/p", "{\"amount\":200}");
  EXPECT_EQ(cache.Begin("c", "k", first).outcome, IdempotencyOutcome::kNew);
  EXPECT_EQ(cache.Begin("c", "k", second).outcome, IdempotencyOutcome::kMismatch);
  cache.Complete("c", "k", SampleResponse());
  EXPECT_EQ(cache.Begin("c", "k", second).outcome, IdempotencyOutcome::kMismatch);
}

TEST(IdempotencyTest, InvalidKeyIsRejected) {
  ManualClock clock(0);
  IdempotencyCache cache(clock);
  Digest digest = IdempotencyDigest("POST", "/p", "");
  EXPECT_EQ(cache.Begin("c", "", digest).outcome, IdempotencyOutcome::kInvalidKey);
  EXPECT_EQ(cache.Begin("c", "bad key", digest).outcome, IdempotencyOutcome::kInvalidKey);
  EXPECT_EQ(cache.Begin("c", std::string(65, 'a'), digest).outcome,
            IdempotencyOutcome::kInvalidKey);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(IdempotencyTest, AbandonLetsARetryStartAfresh) {
  ManualClock clock(0);
  IdempotencyCache cache(clock);
  Digest digest = IdempotencyDigest("POST", "/p", "");
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kNew);
  cache.Abandon("c", "k");
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kNew);
  cache.Complete("c", "k", SampleResponse());
  cache.Abandon("c", "k");  // A completed entry stays.
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kReplay);
}

TEST(IdempotencyTest, EntriesExpireAfterTheTtl) {
  ManualClock clock(5 * kSecondNs);
  IdempotencyCache cache(clock, {.max_entries = 10, .ttl_ns = 60 * kSecondNs});
  Digest digest = IdempotencyDigest("POST", "/p", "");
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kNew);
  clock.Advance(30 * kSecondNs);
  cache.Complete("c", "k", SampleResponse());  // The TTL restarts here.
  clock.Advance(59 * kSecondNs);
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kReplay);
  clock.Advance(1 * kSecondNs);
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kNew);

  // An in-progress entry expires too, from Begin.
  EXPECT_EQ(cache.Begin("c", "stuck", digest).outcome, IdempotencyOutcome::kNew);
  clock.Advance(60 * kSecondNs);
  EXPECT_EQ(cache.Begin("c", "stuck", digest).outcome, IdempotencyOutcome::kNew);
}

TEST(IdempotencyTest, DefaultTtlIsOneDay) {
  ManualClock clock(0);
  IdempotencyCache cache(clock);
  Digest digest = IdempotencyDigest("POST", "/p", "");
  cache.Begin("c", "k", digest);
  cache.Complete("c", "k", SampleResponse());
  clock.Advance(24 * 3600 * kSecondNs - 1);
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kReplay);
  clock.Advance(1);
  EXPECT_EQ(cache.Begin("c", "k", digest).outcome, IdempotencyOutcome::kNew);
}

TEST(IdempotencyTest, EvictsTheOldestBeyondTheBound) {
  ManualClock clock(0);
  IdempotencyCache cache(clock, {.max_entries = 3, .ttl_ns = 3600 * kSecondNs});
  Digest digest = IdempotencyDigest("POST", "/p", "");
  for (int i = 0; i < 10; ++i) {
    std::string key = std::string("k").append(std::to_string(i));
    EXPECT_EQ(cache.Begin("c", key, digest).outcome, IdempotencyOutcome::kNew);
    cache.Complete("c", key, SampleResponse());
    EXPECT_LE(cache.size(), 3u);
  }
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Begin("c", "k9", digest).outcome, IdempotencyOutcome::kReplay);
  EXPECT_EQ(cache.Begin("c", "k7", digest).outcome, IdempotencyOutcome::kReplay);
  EXPECT_EQ(cache.Begin("c", "k0", digest).outcome, IdempotencyOutcome::kNew);
  // k7 was the oldest left, so k0 pushed it out; a late Complete for an evicted key is dropped.
  EXPECT_EQ(cache.size(), 3u);
  cache.Complete("c", "k6", SampleResponse());
  EXPECT_EQ(cache.size(), 3u);
}

TEST(IdempotencyTest, ConcurrentBeginGivesExactlyOneNew) {
  ManualClock clock(0);
  IdempotencyCache cache(clock);
  Digest digest = IdempotencyDigest("POST", "/p", "{\"amount\":1}");
  constexpr int kRounds = 50;
  constexpr int kThreads = 8;
  for (int round = 0; round < kRounds; ++round) {
    std::string key = std::string("race-").append(std::to_string(round));
    std::atomic<int> news{0};
    std::atomic<int> others{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        IdempotencyOutcome outcome = cache.Begin("c", key, digest).outcome;
        if (outcome == IdempotencyOutcome::kNew) {
          news.fetch_add(1);
        } else if (outcome == IdempotencyOutcome::kInProgress) {
          others.fetch_add(1);
        }
      });
    }
    go.store(true);
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(news.load(), 1);
    EXPECT_EQ(others.load(), kThreads - 1);
  }
}

}  // namespace
}  // namespace qb::api
