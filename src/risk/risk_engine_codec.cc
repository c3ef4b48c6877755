// The risk engine's checkpoint: its state (not its rule sets) as bytes. Little-endian
// (ByteWriter):
//
//   state    := magic u32 ("QRE1" = 0x31455251)
//               | profiles | devices | identities | relations          (lru tables, below)
//               | velocity * 7                                          (each u32 length + bytes)
//               | amounts * 2                                           (each u32 length + bytes)
//               | lists                                                 (u32 length + bytes)
//   lru      := capacity u64 | count u64 | (key u64 | record)*   least recently used first
//   record   := the record struct's fields in declaration order, each an int64 or uint64
//               (Profile 10 fields, DeviceInfo 1, IdentityInfo 1, Relation 7)
//
// The velocity tables, in order: customer, device, IP, card, merchant, payee, counters; the
// amount tables: customer, merchant; each in its own format (velocity.h, amount_stats.h,
// lists.h).
#include <absl/container/flat_hash_set.h>

#include <cstring>
#include <type_traits>

#include "base/bytes.h"
#include "risk/risk_engine.h"

namespace qb::risk {

namespace {

constexpr uint32_t kMagic = 0x31455251;  // "QRE1"

// Records are written as their raw bytes: every field is an 8-byte integer, so the layout has
// no padding and is the same on every little-endian machine (ByteWriter assumes little-endian).
template <typename Record>
void WriteLru(const LruTable<Record>& table, ByteWriter* writer) {
  static_assert(std::has_unique_object_representations_v<Record>);
  static_assert(sizeof(Record) % 8 == 0);
  writer->U64(table.capacity());
  writer->U64(table.size());
  table.ForEachOldestFirst([&](uint64_t key, const Record& record) {
    writer->U64(key);
    writer->Bytes(std::string_view(reinterpret_cast<const char*>(&record), sizeof(Record)));
  });
}

template <typename Record>
bool ReadLru(ByteReader* reader, size_t max_capacity, LruTable<Record>* out) {
  const uint64_t capacity = reader->U64();
  const uint64_t count = reader->U64();
  if (!reader->ok() || capacity < 1 || capacity > max_capacity || count > capacity ||
      reader->remaining() < count * (8 + sizeof(Record))) {
    return false;
  }
  LruTable<Record> table(capacity);
  absl::flat_hash_set<uint64_t> seen;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t key = reader->U64();
    const std::string_view bytes = reader->Bytes(sizeof(Record));
    if (!reader->ok() || !seen.insert(key).second) return false;
    bool created = false;
    std::memcpy(&table.Touch(key, &created), bytes.data(), sizeof(Record));
  }
  *out = std::move(table);
  return true;
}

void WriteSection(const std::string& bytes, ByteWriter* writer) { writer->LengthPrefixed(bytes); }

template <typename Table>
void WriteTable(const Table& table, ByteWriter* writer) {
  std::string bytes;
  table.Serialize(&bytes);
  WriteSection(bytes, writer);
}

template <typename Table>
bool ReadTable(ByteReader* reader, Table* out) {
  const std::string_view bytes = reader->LengthPrefixed();
  return reader->ok() && Table::Deserialize(bytes, out).ok();
}

constexpr size_t kMaxTable = size_t{1} << 28;

}  // namespace

void RiskEngine::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U32(kMagic);
  WriteLru(state_.profiles, &writer);
  WriteLru(state_.devices, &writer);
  WriteLru(state_.identities, &writer);
  WriteLru(state_.relations, &writer);
  for (const VelocityTable* table :
       {&state_.customer_velocity, &state_.device_velocity, &state_.ip_velocity,
        &state_.card_velocity, &state_.merchant_velocity, &state_.payee_velocity,
        &state_.counters}) {
    WriteTable(*table, &writer);
  }
  WriteTable(state_.customer_amounts, &writer);
  WriteTable(state_.merchant_amounts, &writer);
  WriteTable(lists_, &writer);
}

Status RiskEngine::Deserialize(std::string_view bytes) {
  ByteReader reader(bytes);
  State state(limits_);
  RiskLists lists(1);
  bool ok = reader.U32() == kMagic && ReadLru(&reader, kMaxTable, &state.profiles) &&
            ReadLru(&reader, kMaxTable, &state.devices) &&
            ReadLru(&reader, kMaxTable, &state.identities) &&
            ReadLru(&reader, kMaxTable, &state.relations);
  for (VelocityTable* table :
       {&state.customer_velocity, &state.device_velocity, &state.ip_velocity, &state.card_velocity,
        &state.merchant_velocity, &state.payee_velocity, &state.counters}) {
    ok = ok && ReadTable(&reader, table);
  }
  ok = ok && ReadTable(&reader, &state.customer_amounts) &&
       ReadTable(&reader, &state.merchant_amounts) && ReadTable(&reader, &lists);
  if (!ok || reader.remaining() != 0) return Status::Corruption("risk engine state: bad bytes");
  state_ = std::move(state);
  lists_ = std::move(lists);
  return Status::Ok();
}

Digest RiskEngine::StateHash() const {
  std::string bytes;
  Serialize(&bytes);
  return HashBytes(bytes);
}

}  // namespace qb::risk
