#include "journal/record.h"

#include <cstring>

#include "base/assert.h"
#include "base/bytes.h"

namespace qb::journal {
namespace {

constexpr uint32_t kMagic = 0x314A4251;  // "QBJ1"
constexpr uint16_t kVersion = 1;

}  // namespace

std::string_view DecodeResultName(DecodeResult result) {
  switch (result) {
    case DecodeResult::kOk:
      return "ok";
    case DecodeResult::kTruncated:
      return "truncated";
    case DecodeResult::kBadMagic:
      return "bad_magic";
    case DecodeResult::kBadVersion:
      return "bad_version";
    case DecodeResult::kBadChecksum:
      return "bad_checksum";
    case DecodeResult::kTrailingBytes:
      return "trailing_bytes";
  }
  return "unknown";
}

void EncodeRecord(const BatchHeader& header, std::string_view payload, std::string* out) {
  QB_ASSERT(payload.size() <= kMaxPayloadBytes);
  const size_t start = out->size();
  out->reserve(start + kHeaderBytes + payload.size() + kTrailerBytes);
  ByteWriter writer(out);
  writer.U32(kMagic);
  writer.U16(kVersion);
  writer.U16(0);
  writer.U64(header.seq);
  writer.I64(header.batch_time_ns);
  writer.U32(header.command_count);
  writer.U32(static_cast<uint32_t>(payload.size()));
  writer.Bytes(std::string_view(reinterpret_cast<const char*>(header.prev_hash.data()), 32));
  QB_ASSERT(out->size() - start == kHeaderBytes);
  writer.Bytes(payload);
  writer.U32(Crc32(std::string_view(*out).substr(start)));
}

DecodeResult DecodeRecord(std::string_view bytes, BatchHeader* header, std::string_view* payload) {
  if (bytes.size() < kHeaderBytes + kTrailerBytes) return DecodeResult::kTruncated;
  ByteReader reader(bytes);
  if (reader.U32() != kMagic) return DecodeResult::kBadMagic;
  if (reader.U16() != kVersion) return DecodeResult::kBadVersion;
  reader.U16();
  BatchHeader decoded;
  decoded.seq = reader.U64();
  decoded.batch_time_ns = reader.I64();
  decoded.command_count = reader.U32();
  const uint32_t payload_bytes = reader.U32();
  std::memcpy(decoded.prev_hash.data(), reader.Bytes(32).data(), 32);
  QB_ASSERT(reader.ok());
  const size_t expected = kHeaderBytes + size_t{payload_bytes} + kTrailerBytes;
  if (bytes.size() < expected) return DecodeResult::kTruncated;
  if (bytes.size() > expected) return DecodeResult::kTrailingBytes;
  ByteReader trailer(bytes.substr(expected - kTrailerBytes));
  if (trailer.U32() != Crc32(bytes.substr(0, expected - kTrailerBytes))) {
    return DecodeResult::kBadChecksum;
  }
  *header = decoded;
  *payload = bytes.substr(kHeaderBytes, payload_bytes);
  return DecodeResult::kOk;
}

}  // namespace qb::journal
