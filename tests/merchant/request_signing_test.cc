#include "merchant/request_signing.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace qb::merchant {
namespace {

constexpr int64_t kNow = 1'790'000'000;  // 2026-09-21, any fixed second will do
constexpr std::string_view kKeyId = "mk_live_01";
constexpr std::string_view kSecret = "s3cr3t-merchant-key-material-0123456789";

std::string Repeat(char c, size_t count) { return std::string(count, c); }

// --- HMAC-SHA256 known answers: RFC 4231 test cases 1-4, 6 and 7 (case 5 is truncated). ---

TEST(HmacSha256Test, Rfc4231Case1) {
  EXPECT_EQ(HmacSha256Hex(Repeat('\x0b', 20), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256Test, Rfc4231Case2ShortKey) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Test, Rfc4231Case3) {
  EXPECT_EQ(HmacSha256Hex(Repeat('\xaa', 20), Repeat('\xdd', 50)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

TEST(HmacSha256Test, Rfc4231Case4) {
  std::string key;
  for (char c = 1; c <= 25; ++c) key += c;
  EXPECT_EQ(HmacSha256Hex(key, Repeat('\xcd', 50)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256Test, Rfc4231Case6KeyLargerThanBlock) {
  EXPECT_EQ(
      HmacSha256Hex(Repeat('\xaa', 131), "Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Test, Rfc4231Case7KeyAndDataLargerThanBlock) {
  EXPECT_EQ(HmacSha256Hex(Repeat('\xaa', 131),
                          "This is a test using a larger than block-size key and a larger than "
                          "block-size data. The key needs to be hashed before being used by the "
                          "HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// --- Canonical string. ---

TEST(CanonicalStringTest, QueryIsSortedByNameThenValue) {
  EXPECT_EQ(CanonicalQuery(""), "");
  EXPECT_EQ(CanonicalQuery("b=2&a=1"), "a=1&b=2");
  EXPECT_EQ(CanonicalQuery("a=2&a=1&a=10"), "a=1&a=10&a=2");
  // Pairs sort by name first: the raw parameter "a-=1" would sort before "a=z" ('-' < '='),
  // but the name "a" sorts before the name "a-".
  EXPECT_EQ(CanonicalQuery("a-=1&a=z"), "a=z&a-=1");
  EXPECT_EQ(CanonicalQuery("&&x=1&&"), "x=1");
  EXPECT_EQ(CanonicalQuery("flag&x=%2F"), "flag=&x=%2F");  // still URL-encoded
  EXPECT_EQ(CanonicalQuery("x=a=b"), "x=a=b");             // split at the first '='
}

TEST(CanonicalStringTest, LayoutAndBodyHash) {
  RequestToSign request{"POST", "/api/v1/orders", "b=2&a=1", ""};
  EXPECT_EQ(CanonicalString(request, kNow, "nonce-0123456789abcdef"),
            "POST\n/api/v1/orders\na=1&b=2\n1790000000\nnonce-0123456789abcdef\n"
            // SHA-256 of the empty string.
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  request.body = "abc";
  EXPECT_EQ(CanonicalString(request, 0, "n")
                .substr(std::string_view("POST\n/api/v1/orders\na=1&b=2\n0\nn\n").size()),
            // SHA-256("abc"), FIPS 180-2 example.
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CanonicalStringTest, SignatureIsHmacOfCanonicalString) {
  RequestToSign request{"GET", "/api/v1/orders/42", "", ""};
  std::string canonical = CanonicalString(request, kNow, "0123456789abcdef");
  EXPECT_EQ(SignRequest(kSecret, request, kNow, "0123456789abcdef"),
            HmacSha256Hex(kSecret, canonical));
}

// --- Authorization header. ---

AuthorizationFields SampleFields() {
  return {"mk_live_01", kNow, "Abc_def-0123456789", Repeat('a', 64)};
}

TEST(AuthorizationHeaderTest, FormatThenParseRoundTrips) {
  AuthorizationFields fields = SampleFields();
  std::string header = FormatAuthorizationHeader(fields);
  EXPECT_EQ(header,
            "QB-HMAC-SHA256 key_id=mk_live_01,timestamp=1790000000,"
            "nonce=Abc_def-0123456789,signature=" +
                Repeat('a', 64));
  AuthorizationFields parsed;
  ASSERT_EQ(ParseAuthorizationHeader(header, &parsed), HeaderParseError::kOk);
  EXPECT_EQ(parsed.key_id, fields.key_id);
  EXPECT_EQ(parsed.timestamp_s, fields.timestamp_s);
  EXPECT_EQ(parsed.nonce, fields.nonce);
  EXPECT_EQ(parsed.signature_hex, fields.signature_hex);
}

HeaderParseError ParseHeader(const std::string& header) {
  AuthorizationFields fields;
  fields.key_id = "untouched";
  HeaderParseError error = ParseAuthorizationHeader(header, &fields);
  if (error != HeaderParseError::kOk) {
    EXPECT_EQ(fields.key_id, "untouched") << header;
  }
  return error;
}

TEST(AuthorizationHeaderTest, MalformedHeadersAreRejected) {
  const std::string sig = Repeat('0', 64);
  const std::string tail = ",timestamp=1790000000,nonce=n0123456789abcdef,signature=" + sig;
  struct Case {
    std::string header;
    HeaderParseError error;
  };
  const Case kCases[] = {
      {"", HeaderParseError::kBadScheme},
      {"QB-HMAC-SHA256", HeaderParseError::kBadScheme},
      {"Bearer abc", HeaderParseError::kBadScheme},
      {"qb-hmac-sha256 key_id=k" + tail, HeaderParseError::kBadScheme},
      {"QB-HMAC-SHA256  key_id=k" + tail, HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256\tkey_id=k" + tail, HeaderParseError::kBadScheme},
      {"QB-HMAC-SHA256 ", HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256 key_id=k", HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256 timestamp=1790000000,key_id=k,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256 key_id=k" + tail + ",extra=1", HeaderParseError::kBadSignature},
      {"QB-HMAC-SHA256 key_id=k, timestamp=1790000000,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256 key_id=k,key_id=k" + tail, HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256 key_id k" + tail, HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256 keyid=k" + tail, HeaderParseError::kBadStructure},
      {"QB-HMAC-SHA256 key_id=" + tail, HeaderParseError::kBadKeyId},
      {"QB-HMAC-SHA256 key_id=k:1" + tail, HeaderParseError::kBadKeyId},
      {"QB-HMAC-SHA256 key_id=" + Repeat('k', 65) + tail, HeaderParseError::kBadKeyId},
      {"QB-HMAC-SHA256 key_id=k,timestamp=,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadTimestamp},
      {"QB-HMAC-SHA256 key_id=k,timestamp=-1,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadTimestamp},
      {"QB-HMAC-SHA256 key_id=k,timestamp=+1790000000,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadTimestamp},
      {"QB-HMAC-SHA256 key_id=k,timestamp=01790000000,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadTimestamp},
      {"QB-HMAC-SHA256 key_id=k,timestamp=1790000000000,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadTimestamp},
      {"QB-HMAC-SHA256 key_id=k,timestamp=17900000x0,nonce=n0123456789abcdef,signature=" + sig,
       HeaderParseError::kBadTimestamp},
      {"QB-HMAC-SHA256 key_id=k,timestamp=1790000000,nonce=,signature=" + sig,
       HeaderParseError::kBadNonce},
      {"QB-HMAC-SHA256 key_id=k,timestamp=1790000000,nonce=a b,signature=" + sig,
       HeaderParseError::kBadNonce},
      {"QB-HMAC-SHA256 key_id=k,timestamp=1790000000,nonce=" + Repeat('n', 65) +
           ",signature=" + sig,
       HeaderParseError::kBadNonce},
      {"QB-HMAC-SHA256 key_id=k,timestamp=1790000000,nonce=n0123456789abcdef,signature=",
       HeaderParseError::kBadSignature},
      {"QB-HMAC-SHA256 key_id=k,timestamp=1790000000,nonce=n0123456789abcdef,signature=" +
           Repeat('A', 64),
       HeaderParseError::kBadSignature},
      {"QB-HMAC-SHA256 key_id=k,timestamp=1790000000,nonce=n0123456789abcdef,signature=" +
           Repeat('a', 63),
       HeaderParseError::kBadSignature},
      {"QB-HMAC-SHA256 key_id=k" + tail + " ", HeaderParseError::kBadSignature},
      {"QB-HMAC-SHA256 key_id=k" + tail + "0", HeaderParseError::kBadSignature},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ParseHeader(c.header), c.error)
        << c.header << " -> " << HeaderParseErrorName(ParseHeader(c.header));
  }
  EXPECT_EQ(ParseHeader("QB-HMAC-SHA256 key_id=k" + tail), HeaderParseError::kOk);
}

TEST(AuthorizationHeaderTest, ParseErrorNamesAreStable) {
  EXPECT_EQ(HeaderParseErrorName(HeaderParseError::kOk), "ok");
  EXPECT_EQ(HeaderParseErrorName(HeaderParseError::kBadScheme), "bad_scheme");
  EXPECT_EQ(HeaderParseErrorName(HeaderParseError::kBadStructure), "bad_structure");
  EXPECT_EQ(HeaderParseErrorName(HeaderParseError::kBadKeyId), "bad_key_id");
  EXPECT_EQ(HeaderParseErrorName(HeaderParseError::kBadTimestamp), "bad_timestamp");
  EXPECT_EQ(HeaderParseErrorName(HeaderParseError::kBadNonce), "bad_nonce");
  EXPECT_EQ(HeaderParseErrorName(HeaderParseError::kBadSignature), "bad_signature");
}

// --- Verifier. ---

class RequestVerifierTest : public ::testing::Test {
 protected:
  static constexpr size_t kMaxEntries = 4;

  RequestVerifierTest()
      : verifier_(
            [this](std::string_view key_id) -> std::optional<std::string> {
              ++lookups_;
              auto it = secrets_.find(std::string(key_id));
              if (it == secrets_.end()) return std::nullopt;
              return it->second;
            },
            kMaxEntries) {
    secrets_[std::string(kKeyId)] = std::string(kSecret);
    secrets_["mk_other"] = "another-secret";
  }

  // A correctly signed request for `body` from `key_id` with the given timestamp and nonce.
  AuthorizationFields Signed(std::string_view nonce, int64_t timestamp_s = kNow,
                             std::string_view key_id = kKeyId) {
    std::string secret = secrets_.at(std::string(key_id));
    return {std::string(key_id), timestamp_s, std::string(nonce),
            SignRequest(secret, request_, timestamp_s, nonce)};
  }

  static std::string Nonce(int n) { return "nonce_" + std::to_string(1'000'000'000'000 + n); }

  std::map<std::string, std::string> secrets_;
  std::atomic<int> lookups_{0};
  RequestToSign request_{"POST", "/api/v1/orders", "b=2&a=1", R"({"amount":1200})"};
  RequestVerifier verifier_;
};

TEST_F(RequestVerifierTest, ValidRequestIsAccepted) {
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(1)), kNow), VerifyResult::kOk);
  EXPECT_EQ(verifier_.ReplayCacheSize(), 1u);
}

TEST_F(RequestVerifierTest, HeaderRoundTripVerifies) {
  AuthorizationFields parsed;
  ASSERT_EQ(ParseAuthorizationHeader(FormatAuthorizationHeader(Signed(Nonce(1))), &parsed),
            HeaderParseError::kOk);
  EXPECT_EQ(verifier_.Verify(request_, parsed, kNow), VerifyResult::kOk);
}

TEST_F(RequestVerifierTest, QueryOrderDoesNotMatter) {
  AuthorizationFields fields = Signed(Nonce(1));
  RequestToSign reordered = request_;
  reordered.query = "a=1&b=2";
  EXPECT_EQ(verifier_.Verify(reordered, fields, kNow), VerifyResult::kOk);
}

TEST_F(RequestVerifierTest, UnknownKey) {
  AuthorizationFields fields = Signed(Nonce(1));
  fields.key_id = "mk_revoked";
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kUnknownKey);
  // A key id that could never be valid is refused without a lookup.
  int lookups_before = lookups_;
  fields.key_id = "mk:live";
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kUnknownKey);
  fields.key_id = "";
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kUnknownKey);
  EXPECT_EQ(lookups_, lookups_before);
  EXPECT_EQ(verifier_.ReplayCacheSize(), 0u);
}

TEST_F(RequestVerifierTest, TimestampWindowIsFiveMinutesEitherSide) {
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(1), kNow - 300), kNow), VerifyResult::kOk);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(2), kNow + 300), kNow), VerifyResult::kOk);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(3), kNow - 301), kNow),
            VerifyResult::kStaleTimestamp);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(4), kNow + 301), kNow),
            VerifyResult::kStaleTimestamp);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(5), 0), kNow), VerifyResult::kStaleTimestamp);
}

TEST_F(RequestVerifierTest, BadNonce) {
  for (const std::string& nonce :
       {std::string(""), Repeat('n', 15), Repeat('n', 65), std::string("nonce with spaces"),
        std::string("nonce:0123456789ab"), std::string("nonce.0123456789ab"),
        std::string("ñonce0123456789ab")}) {
    AuthorizationFields fields = Signed(Repeat('n', 16));
    fields.nonce = nonce;
    EXPECT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kBadNonce) << nonce;
  }
  // Both length limits are inclusive.
  EXPECT_EQ(verifier_.Verify(request_, Signed(Repeat('n', 16)), kNow), VerifyResult::kOk);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Repeat('m', 64)), kNow), VerifyResult::kOk);
}

TEST_F(RequestVerifierTest, BadSignatureForAnyAlteredPart) {
  AuthorizationFields fields = Signed(Nonce(1));
  auto expect_bad = [&](const RequestToSign& request, const AuthorizationFields& altered) {
    EXPECT_EQ(verifier_.Verify(request, altered, kNow), VerifyResult::kBadSignature);
  };
  RequestToSign altered = request_;
  altered.method = "PUT";
  expect_bad(altered, fields);
  altered = request_;
  altered.path = "/api/v1/orders/1";
  expect_bad(altered, fields);
  altered = request_;
  altered.query = "a=1&b=3";
  expect_bad(altered, fields);
  altered = request_;
  altered.body = R"({"amount":1201})";
  expect_bad(altered, fields);

  AuthorizationFields changed = fields;
  changed.timestamp_s += 1;
  expect_bad(request_, changed);
  changed = fields;
  changed.nonce = Nonce(2);
  expect_bad(request_, changed);
  changed = fields;
  changed.signature_hex[10] = changed.signature_hex[10] == '0' ? '1' : '0';
  expect_bad(request_, changed);
  changed = fields;
  changed.signature_hex.pop_back();
  expect_bad(request_, changed);
  changed = fields;
  changed.signature_hex = "";
  expect_bad(request_, changed);
  // Signed with another key's secret.
  changed = Signed(Nonce(1), kNow, "mk_other");
  changed.key_id = std::string(kKeyId);
  expect_bad(request_, changed);

  // None of the rejected requests used up the nonce.
  EXPECT_EQ(verifier_.ReplayCacheSize(), 0u);
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kOk);
}

TEST_F(RequestVerifierTest, ReplayWithinWindowIsRejected) {
  AuthorizationFields fields = Signed(Nonce(1));
  ASSERT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kOk);
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kReplayedNonce);
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow + 300), VerifyResult::kReplayedNonce);
  // After the window the same request is stale, never accepted again.
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow + 301), VerifyResult::kStaleTimestamp);
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow + 10'000), VerifyResult::kStaleTimestamp);
}

TEST_F(RequestVerifierTest, NonceIsPerKey) {
  ASSERT_EQ(verifier_.Verify(request_, Signed(Nonce(1)), kNow), VerifyResult::kOk);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(1), kNow, "mk_other"), kNow),
            VerifyResult::kOk);
  // A fresh signature over a reused nonce is still a replay.
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(1), kNow + 1), kNow + 1),
            VerifyResult::kReplayedNonce);
}

TEST_F(RequestVerifierTest, FutureTimestampStaysRememberedUntilItsOwnWindowEnds) {
  AuthorizationFields fields = Signed(Nonce(1), kNow + 300);
  ASSERT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kOk);
  // Ten minutes after `kNow` the timestamp is exactly at the window's edge: still a replay.
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow + 600), VerifyResult::kReplayedNonce);
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow + 601), VerifyResult::kStaleTimestamp);
}

TEST_F(RequestVerifierTest, FullCacheRefusesInsteadOfForgettingLiveNonces) {
  for (int n = 0; n < static_cast<int>(kMaxEntries); ++n) {
    ASSERT_EQ(verifier_.Verify(request_, Signed(Nonce(n)), kNow), VerifyResult::kOk);
  }
  EXPECT_EQ(verifier_.ReplayCacheSize(), kMaxEntries);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(100)), kNow), VerifyResult::kReplayCacheFull);
  // The oldest live nonce was not evicted: its replay is still caught.
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(0)), kNow), VerifyResult::kReplayedNonce);
  // The refused request did not use up its nonce: once the window has passed for the cached
  // entries, it is accepted.
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(100), kNow + 301), kNow + 301),
            VerifyResult::kOk);
  EXPECT_EQ(verifier_.ReplayCacheSize(), 1u);
}

TEST_F(RequestVerifierTest, ExpiredEntriesAreEvictedOldestFirst) {
  ASSERT_EQ(verifier_.Verify(request_, Signed(Nonce(0), kNow - 200), kNow), VerifyResult::kOk);
  ASSERT_EQ(verifier_.Verify(request_, Signed(Nonce(1), kNow), kNow), VerifyResult::kOk);
  ASSERT_EQ(verifier_.Verify(request_, Signed(Nonce(2), kNow), kNow), VerifyResult::kOk);
  ASSERT_EQ(verifier_.Verify(request_, Signed(Nonce(3), kNow), kNow), VerifyResult::kOk);
  // At kNow + 101 only the first entry (live until kNow + 100) has expired.
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(4), kNow + 101), kNow + 101),
            VerifyResult::kOk);
  EXPECT_EQ(verifier_.ReplayCacheSize(), kMaxEntries);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(5), kNow + 101), kNow + 101),
            VerifyResult::kReplayCacheFull);
  EXPECT_EQ(verifier_.Verify(request_, Signed(Nonce(1)), kNow + 101), VerifyResult::kReplayedNonce);
}

TEST_F(RequestVerifierTest, TimeGoingBackwardsCannotRevivePurgedNonce) {
  AuthorizationFields fields = Signed(Nonce(1));
  ASSERT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kOk);
  // A later request moves time on far enough to purge the first nonce.
  ASSERT_EQ(verifier_.Verify(request_, Signed(Nonce(2), kNow + 1000), kNow + 1000),
            VerifyResult::kOk);
  EXPECT_EQ(verifier_.ReplayCacheSize(), 1u);
  // A caller whose clock lags must not get the purged nonce accepted again.
  EXPECT_EQ(verifier_.Verify(request_, fields, kNow), VerifyResult::kStaleTimestamp);
}

TEST_F(RequestVerifierTest, ConcurrentReplaysAcceptExactlyOnce) {
  AuthorizationFields fields = Signed(Nonce(7));
  std::atomic<int> accepted{0};
  std::atomic<int> replayed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        VerifyResult result = verifier_.Verify(request_, fields, kNow);
        if (result == VerifyResult::kOk) ++accepted;
        if (result == VerifyResult::kReplayedNonce) ++replayed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(replayed, 8 * 50 - 1);
}

TEST(VerifyResultTest, NamesAreStable) {
  EXPECT_EQ(VerifyResultName(VerifyResult::kOk), "ok");
  EXPECT_EQ(VerifyResultName(VerifyResult::kUnknownKey), "unknown_key");
  EXPECT_EQ(VerifyResultName(VerifyResult::kStaleTimestamp), "stale_timestamp");
  EXPECT_EQ(VerifyResultName(VerifyResult::kBadNonce), "bad_nonce");
  EXPECT_EQ(VerifyResultName(VerifyResult::kReplayedNonce), "replayed_nonce");
  EXPECT_EQ(VerifyResultName(VerifyResult::kBadSignature), "bad_signature");
  EXPECT_EQ(VerifyResultName(VerifyResult::kReplayCacheFull), "replay_cache_full");
}

}  // namespace
}  // namespace qb::merchant
