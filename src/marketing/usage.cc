#include "marketing/usage.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/assert.h"

namespace qb::marketing {

const CustomerUsage* UsageTable::FindCustomer(uint64_t campaign_id, uint64_t customer_id) const {
  const auto it = customers_.find(Key{campaign_id, customer_id});
  return it == customers_.end() ? nullptr : &it->second;
}

int64_t UsageTable::DeviceCount(uint64_t campaign_id, uint64_t device_hash) const {
  const auto it = devices_.find(Key{campaign_id, device_hash});
  return it == devices_.end() ? 0 : it->second;
}

int64_t UsageTable::IdentityCount(uint64_t campaign_id, uint64_t identity_hash) const {
  const auto it = identities_.find(Key{campaign_id, identity_hash});
  return it == identities_.end() ? 0 : it->second;
}

void UsageTable::AddCustomer(uint64_t campaign_id, uint64_t customer_id, int64_t day,
                             int64_t amount_fen) {
  QB_ASSERT(amount_fen > 0);
  CustomerUsage& usage = customers_[Key{campaign_id, customer_id}];
  if (usage.day != day) {
    QB_ASSERT(usage.day < day || usage.count_lifetime == 0);
    usage.day = day;
    usage.count_day = 0;
    usage.amount_day_fen = 0;
  }
  // Bounded by the campaign budget (<= kMaxBudgetFen) and the number of payments: no overflow.
  usage.count_day += 1;
  usage.amount_day_fen += amount_fen;
  usage.count_lifetime += 1;
  usage.amount_lifetime_fen += amount_fen;
}

void UsageTable::SubtractCustomer(uint64_t campaign_id, uint64_t customer_id, int64_t day,
                                  int64_t amount_fen, int64_t count) {
  const auto it = customers_.find(Key{campaign_id, customer_id});
  QB_ASSERT(it != customers_.end());
  CustomerUsage& usage = it->second;
  usage.count_lifetime -= count;
  usage.amount_lifetime_fen -= amount_fen;
  if (usage.day == day) {
    usage.count_day -= count;
    usage.amount_day_fen -= amount_fen;
  }
  QB_ASSERT(usage.count_lifetime >= 0 && usage.amount_lifetime_fen >= 0 && usage.count_day >= 0 &&
            usage.amount_day_fen >= 0);
  // Daily figures are part of the lifetime ones, so both are zero here.
  if (usage.count_lifetime == 0 && usage.amount_lifetime_fen == 0) customers_.erase(it);
}

void UsageTable::AddCount(CountMap* map, Key key, int64_t delta) {
  int64_t& count = (*map)[key];
  count += delta;
  QB_ASSERT(count >= 0);
  if (count == 0) map->erase(key);
}

void UsageTable::AddDevice(uint64_t campaign_id, uint64_t device_hash, int64_t delta) {
  AddCount(&devices_, Key{campaign_id, device_hash}, delta);
}

void UsageTable::AddIdentity(uint64_t campaign_id, uint64_t identity_hash, int64_t delta) {
  AddCount(&identities_, Key{campaign_id, identity_hash}, delta);
}

// Grammar (little-endian):
//   usage    := u64 n, customer{n}, counts(devices), counts(identities)
//   customer := u64 campaign_id, u64 customer_id, i64 day, i64 count_day, i64 amount_day_fen,
//               i64 count_lifetime, i64 amount_lifetime_fen
//   counts   := u64 n, (u64 campaign_id, u64 subject, i64 count){n}
// Entries are sorted by (campaign_id, subject); zero entries are never written.
void UsageTable::Serialize(ByteWriter* writer) const {
  std::vector<std::pair<Key, CustomerUsage>> sorted(customers_.begin(), customers_.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  writer->U64(sorted.size());
  for (const auto& [key, usage] : sorted) {
    writer->U64(key.campaign_id);
    writer->U64(key.subject);
    writer->I64(usage.day);
    writer->I64(usage.count_day);
    writer->I64(usage.amount_day_fen);
    writer->I64(usage.count_lifetime);
    writer->I64(usage.amount_lifetime_fen);
  }
  SerializeCounts(devices_, writer);
  SerializeCounts(identities_, writer);
}

void UsageTable::SerializeCounts(const CountMap& map, ByteWriter* writer) {
  std::vector<std::pair<Key, int64_t>> sorted(map.begin(), map.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  writer->U64(sorted.size());
  for (const auto& [key, count] : sorted) {
    writer->U64(key.campaign_id);
    writer->U64(key.subject);
    writer->I64(count);
  }
}

bool UsageTable::Deserialize(ByteReader* reader) {
  customers_.clear();
  constexpr size_t kCustomerBytes = 7 * 8;
  const uint64_t count = reader->U64();
  if (!reader->ok() || count > reader->remaining() / kCustomerBytes) return false;
  customers_.reserve(count);
  Key previous{0, 0};
  for (uint64_t i = 0; i < count; ++i) {
    Key key{reader->U64(), reader->U64()};
    // Strictly increasing keys: the canonical order, which also rules out duplicates.
    if (i > 0 && !(previous < key)) return false;
    previous = key;
    CustomerUsage usage;
    usage.day = reader->I64();
    usage.count_day = reader->I64();
    usage.amount_day_fen = reader->I64();
    usage.count_lifetime = reader->I64();
    usage.amount_lifetime_fen = reader->I64();
    const bool sane = usage.count_day >= 0 && usage.amount_day_fen >= 0 &&
                      usage.count_day <= usage.count_lifetime &&
                      usage.amount_day_fen <= usage.amount_lifetime_fen &&
                      (usage.count_lifetime > 0 || usage.amount_lifetime_fen > 0);
    if (!sane) return false;
    customers_.emplace(key, usage);
  }
  return reader->ok() && DeserializeCounts(reader, &devices_) &&
         DeserializeCounts(reader, &identities_);
}

bool UsageTable::DeserializeCounts(ByteReader* reader, CountMap* map) {
  map->clear();
  constexpr size_t kEntryBytes = 3 * 8;
  const uint64_t count = reader->U64();
  if (!reader->ok() || count > reader->remaining() / kEntryBytes) return false;
  map->reserve(count);
  Key previous{0, 0};
  for (uint64_t i = 0; i < count; ++i) {
    Key key{reader->U64(), reader->U64()};
    if (i > 0 && !(previous < key)) return false;
    previous = key;
    const int64_t value = reader->I64();
    if (value <= 0) return false;
    map->emplace(key, value);
  }
  return reader->ok();
}

}  // namespace qb::marketing
