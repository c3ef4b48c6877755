// The journal's batch record: one per engine batch, the unit of durability.
//
// Byte grammar (integers little-endian):
//   record        := header payload crc32:u32
//   header        := magic:u32 ("QBJ1") version:u16 reserved:u16 seq:u64 batch_time_ns:i64
//                    command_count:u32 payload_bytes:u32 prev_hash:u8[32]         (64 bytes)
//   payload       := command{command_count}        (encoding owned by engine/command_codec.h)
//   crc32         := CRC-32 of header and payload
//
// Records form a hash chain: prev_hash is the BLAKE2b-256 of the whole previous record (zeroes
// for seq 1), so a record cannot be removed, reordered or altered without breaking every hash
// after it. The CRC catches torn and flipped bytes cheaply; the chain catches the rest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/digest.h"

namespace qb::journal {

inline constexpr size_t kHeaderBytes = 64;
inline constexpr size_t kTrailerBytes = 4;
inline constexpr uint32_t kMaxPayloadBytes = 256u << 20;

struct BatchHeader {
  uint64_t seq = 0;
  int64_t batch_time_ns = 0;
  uint32_t command_count = 0;
  Digest prev_hash{};
};

enum class DecodeResult : uint8_t {
  kOk = 0,
  kTruncated,  // Fewer bytes than the header says: a torn write.
  kBadMagic,
  kBadVersion,
  kBadChecksum,    // Torn or corrupted bytes.
  kTrailingBytes,  // More bytes than the header says.
};

std::string_view DecodeResultName(DecodeResult result);

// Appends the encoded record to `out`.
void EncodeRecord(const BatchHeader& header, std::string_view payload, std::string* out);

// Checks framing and CRC; on kOk fills `header` and points `payload` into `bytes`.
DecodeResult DecodeRecord(std::string_view bytes, BatchHeader* header, std::string_view* payload);

// The link to the next record.
inline Digest RecordHash(std::string_view record_bytes) { return HashBytes(record_bytes); }

}  // namespace qb::journal
