// Usage counters: what each campaign has given, in total, per day, per customer, per device and
// per real-name identity. The caps in Campaign::caps are checked against these.
//
// Days are China calendar days. A counter keeps only its latest day: a commit on a later day
// starts the day's figures from zero, and a reversal touches the daily figures only when the
// payment's day is still the counter's day (an earlier day can no longer limit anything, since
// the engine's time never goes back).
//
// Memory: per-customer entries exist only for campaigns with a per-customer cap, device and
// identity entries only for campaigns with those caps, and an entry is erased when it returns
// to zero. Each costs about 64 bytes (key 16 + value 40, plus hash-table slack): a campaign with
// per-customer caps used by 10^6 customers holds about 64 MB until the campaign is dropped.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>

#include "base/bytes.h"
#include "marketing/campaign.h"

namespace qb::marketing {

// Per-campaign spend. spent_total_fen counts every reward given (held cashback included) net
// of reversals; a campaign's budget is never below it.
struct CampaignSpend {
  int64_t spent_total_fen = 0;
  int64_t day = 0;  // the China day that spent_day_fen is for
  int64_t spent_day_fen = 0;
  // Reporting figures, net of full refunds (a partly refunded payment still counts whole):
  // payments that got a reward from the campaign, and their original amounts.
  int64_t rewarded_payments = 0;
  int64_t rewarded_gmv_fen = 0;

  int64_t SpentOn(int64_t china_day) const { return day == china_day ? spent_day_fen : 0; }
  bool operator==(const CampaignSpend&) const = default;
};

struct CustomerUsage {
  int64_t day = 0;  // the China day the *_day figures are for
  int64_t count_day = 0;
  int64_t amount_day_fen = 0;
  int64_t count_lifetime = 0;
  int64_t amount_lifetime_fen = 0;

  bool operator==(const CustomerUsage&) const = default;
};

class UsageTable {
 public:
  // nullptr when the customer has no recorded usage of the campaign.
  const CustomerUsage* FindCustomer(uint64_t campaign_id, uint64_t customer_id) const;
  int64_t DeviceCount(uint64_t campaign_id, uint64_t device_hash) const;
  int64_t IdentityCount(uint64_t campaign_id, uint64_t identity_hash) const;

  // One rewarded payment of `amount_fen` on China day `day`.
  void AddCustomer(uint64_t campaign_id, uint64_t customer_id, int64_t day, int64_t amount_fen);
  // A reversal of `amount_fen`; `count` is 1 when the payment no longer counts (fully refunded).
  void SubtractCustomer(uint64_t campaign_id, uint64_t customer_id, int64_t day, int64_t amount_fen,
                        int64_t count);
  void AddDevice(uint64_t campaign_id, uint64_t device_hash, int64_t delta);
  void AddIdentity(uint64_t campaign_id, uint64_t identity_hash, int64_t delta);

  size_t customer_entries() const { return customers_.size(); }
  size_t device_entries() const { return devices_.size(); }
  size_t identity_entries() const { return identities_.size(); }
  bool empty() const { return customers_.empty() && devices_.empty() && identities_.empty(); }

  // Part of CampaignBook's checkpoint: entries sorted by key, so equal tables give equal bytes.
  void Serialize(ByteWriter* writer) const;
  bool Deserialize(ByteReader* reader);

 private:
  struct Key {
    uint64_t campaign_id;
    uint64_t subject;  // customer id, device hash or identity hash
    bool operator==(const Key&) const = default;
    bool operator<(const Key& other) const {
      return campaign_id != other.campaign_id ? campaign_id < other.campaign_id
                                              : subject < other.subject;
    }
    template <typename H>
    friend H AbslHashValue(H h, const Key& key) {
      return H::combine(std::move(h), key.campaign_id, key.subject);
    }
  };
  using CountMap = absl::flat_hash_map<Key, int64_t>;

  static void AddCount(CountMap* map, Key key, int64_t delta);
  static void SerializeCounts(const CountMap& map, ByteWriter* writer);
  static bool DeserializeCounts(ByteReader* reader, CountMap* map);

  absl::flat_hash_map<Key, CustomerUsage> customers_;
  CountMap devices_;
  CountMap identities_;
};

}  // namespace qb::marketing
