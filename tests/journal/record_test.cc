// The batch record's framing: round trips, and every way a stored record can be torn or
// corrupted must be reported as such, never decoded.
#include "journal/record.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "journal_test_util.h"

namespace qb::journal {
namespace {

using testing::FlipBit;

// Header field offsets, from the byte grammar in record.h.
constexpr size_t kVersionOffset = 4;
constexpr size_t kReservedOffset = 6;
constexpr size_t kSeqOffset = 8;
constexpr size_t kPayloadBytesOffset = 28;
constexpr size_t kPrevHashOffset = 32;

BatchHeader SampleHeader() {
  BatchHeader header;
  header.seq = 42;
  header.batch_time_ns = -7;  // Signed: must survive the u64 round trip.
  header.command_count = 3;
  for (size_t i = 0; i < header.prev_hash.size(); i++) {
    header.prev_hash[i] = static_cast<uint8_t>(0xA0 + i);
  }
  return header;
}

std::string Encode(const BatchHeader& header, std::string_view payload) {
  std::string bytes;
  EncodeRecord(header, payload, &bytes);
  return bytes;
}

DecodeResult Decode(std::string_view bytes) {
  BatchHeader header;
  std::string_view payload;
  return DecodeRecord(bytes, &header, &payload);
}

TEST(RecordTest, RoundTripKeepsEveryHeaderFieldAndThePayload) {
  const BatchHeader header = SampleHeader();
  const std::string payload(
      "payload\0with\xff"
      "binary",
      19);
  const std::string bytes = Encode(header, payload);
  ASSERT_EQ(bytes.size(), kHeaderBytes + payload.size() + kTrailerBytes);

  BatchHeader decoded;
  std::string_view decoded_payload;
  ASSERT_EQ(DecodeRecord(bytes, &decoded, &decoded_payload), DecodeResult::kOk);
  EXPECT_EQ(decoded.seq, header.seq);
  EXPECT_EQ(decoded.batch_time_ns, header.batch_time_ns);
  EXPECT_EQ(decoded.command_count, header.command_count);
  EXPECT_EQ(decoded.prev_hash, header.prev_hash);
  EXPECT_EQ(decoded_payload, payload);
}

TEST(RecordTest, EmptyPayloadRoundTrips) {
  const std::string bytes = Encode(SampleHeader(), "");
  BatchHeader decoded;
  std::string_view payload = "not empty";
  ASSERT_EQ(DecodeRecord(bytes, &decoded, &payload), DecodeResult::kOk);
  EXPECT_TRUE(payload.empty());
  EXPECT_EQ(decoded.seq, 42u);
}

TEST(RecordTest, EncodeAppendsToExistingBytes) {
  std::string bytes = "prefix";
  EncodeRecord(SampleHeader(), "abc", &bytes);
  ASSERT_EQ(bytes.substr(0, 6), "prefix");
  EXPECT_EQ(Decode(std::string_view(bytes).substr(6)), DecodeResult::kOk);
}

TEST(RecordTest, TruncationAtAnyCutPointIsReportedAsTruncated) {
  const std::string bytes = Encode(SampleHeader(), std::string(100, 'p'));
  // Empty, mid-header, header only, mid-payload, and one byte short of the CRC's end.
  for (size_t cut :
       {size_t{0}, size_t{1}, size_t{10}, kHeaderBytes - 1, kHeaderBytes, kHeaderBytes + 3,
        kHeaderBytes + 50, bytes.size() - kTrailerBytes, bytes.size() - 1}) {
    EXPECT_EQ(Decode(std::string_view(bytes).substr(0, cut)), DecodeResult::kTruncated)
        << "cut at " << cut;
  }
  // Every cut point, not just the interesting ones.
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    ASSERT_EQ(Decode(std::string_view(bytes).substr(0, cut)), DecodeResult::kTruncated)
        << "cut at " << cut;
  }
}

TEST(RecordTest, WrongMagicIsBadMagic) {
  std::string bytes = Encode(SampleHeader(), "x");
  FlipBit(&bytes, 0);
  EXPECT_EQ(Decode(bytes), DecodeResult::kBadMagic);
  bytes = Encode(SampleHeader(), "x");
  FlipBit(&bytes, 3, 7);
  EXPECT_EQ(Decode(bytes), DecodeResult::kBadMagic);
}

TEST(RecordTest, UnknownVersionIsBadVersion) {
  std::string bytes = Encode(SampleHeader(), "x");
  bytes[kVersionOffset] = 2;
  EXPECT_EQ(Decode(bytes), DecodeResult::kBadVersion);
  bytes[kVersionOffset] = 0;
  EXPECT_EQ(Decode(bytes), DecodeResult::kBadVersion);
}

TEST(RecordTest, AnyFlippedBitOutsideTheFramingFieldsIsBadChecksum) {
  const std::string original = Encode(SampleHeader(), std::string(40, 'q'));
  for (size_t i = kReservedOffset; i < original.size(); i++) {
    // The payload length field changes the framing instead: covered by the next tests.
    if (i >= kPayloadBytesOffset && i < kPayloadBytesOffset + 4) continue;
    for (int bit : {0, 5}) {
      std::string bytes = original;
      FlipBit(&bytes, i, bit);
      ASSERT_EQ(Decode(bytes), DecodeResult::kBadChecksum) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(RecordTest, FlippedBitsInHeaderPayloadAndCrcAreBadChecksum) {
  const std::string original = Encode(SampleHeader(), "some payload");
  for (size_t i : {kSeqOffset, kPrevHashOffset + 31, kHeaderBytes + 4, original.size() - 1}) {
    std::string bytes = original;
    FlipBit(&bytes, i, 3);
    EXPECT_EQ(Decode(bytes), DecodeResult::kBadChecksum) << "byte " << i;
  }
}

TEST(RecordTest, ExtraBytesAfterTheRecordAreTrailingBytes) {
  std::string bytes = Encode(SampleHeader(), "abc");
  bytes.push_back('\0');
  EXPECT_EQ(Decode(bytes), DecodeResult::kTrailingBytes);
  bytes += Encode(SampleHeader(), "def");  // Two records glued together.
  EXPECT_EQ(Decode(bytes), DecodeResult::kTrailingBytes);
}

TEST(RecordTest, PayloadLengthFieldDisagreeingWithTheBytesIsFramingError) {
  std::string bytes = Encode(SampleHeader(), "abcdef");
  bytes[kPayloadBytesOffset] = 7;  // One more than there is.
  EXPECT_EQ(Decode(bytes), DecodeResult::kTruncated);
  bytes[kPayloadBytesOffset] = 5;  // One less.
  EXPECT_EQ(Decode(bytes), DecodeResult::kTrailingBytes);
  bytes[kPayloadBytesOffset + 3] = static_cast<char>(0xFF);  // Absurdly long.
  EXPECT_EQ(Decode(bytes), DecodeResult::kTruncated);
}

TEST(RecordTest, FailedDecodeLeavesOutputsUntouched) {
  std::string bytes = Encode(SampleHeader(), "abc");
  FlipBit(&bytes, kHeaderBytes);
  BatchHeader header;
  header.seq = 99;
  std::string_view payload = "keep";
  ASSERT_EQ(DecodeRecord(bytes, &header, &payload), DecodeResult::kBadChecksum);
  EXPECT_EQ(header.seq, 99u);
  EXPECT_EQ(payload, "keep");
}

TEST(RecordTest, DecodeResultNamesAreDistinct) {
  std::set<std::string_view> names;
  for (DecodeResult r :
       {DecodeResult::kOk, DecodeResult::kTruncated, DecodeResult::kBadMagic,
        DecodeResult::kBadVersion, DecodeResult::kBadChecksum, DecodeResult::kTrailingBytes}) {
    EXPECT_NE(DecodeResultName(r), "unknown");
    names.insert(DecodeResultName(r));
  }
  EXPECT_EQ(names.size(), 6u);
  EXPECT_EQ(DecodeResultName(DecodeResult::kBadChecksum), "bad_checksum");
}

TEST(RecordTest, RecordHashCoversEveryByte) {
  const std::string bytes = Encode(SampleHeader(), "abc");
  const Digest hash = RecordHash(bytes);
  EXPECT_EQ(hash, HashBytes(bytes));
  for (size_t i = 0; i < bytes.size(); i++) {
    std::string changed = bytes;
    FlipBit(&changed, i);
    ASSERT_NE(RecordHash(changed), hash) << "byte " << i;
  }
}

}  // namespace
}  // namespace qb::journal
