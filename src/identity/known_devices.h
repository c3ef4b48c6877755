// The devices each customer has logged in from, for the new-device rule of PBoC 2015 No. 43
// (no large payment from a new phone for 24 hours without a second factor). A device is named
// by a keyed hash of the id the app sends (X-Device-Id); requests without one share the empty
// hash, so a client that never sends an id is one device. Pure and deterministic: the engine
// passes its batch time.
//
// Bounded: at most kMaxDevicesPerCustomer per customer; a new one evicts the device seen least
// recently, so a device evicted and seen again is new again (the safe side).
//
// Encoding (sorted by customer id, then by hash):
//   devices := customer_count:u64 (customer_id:u64 count:u8 (hash:str first_seen:i64
//              last_seen:i64)*)*
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace qb::identity {

struct KnownDevice {
  std::string hash;
  int64_t first_seen_ns = 0;
  int64_t last_seen_ns = 0;
  bool operator==(const KnownDevice&) const = default;
};

class KnownDevices {
 public:
  static constexpr size_t kMaxDevicesPerCustomer = 8;
  static constexpr size_t kMaxHashBytes = 64;

  // A log-in from `hash` at `now_ns` (hash at most kMaxHashBytes, asserted).
  void Record(uint64_t customer_id, std::string_view hash, int64_t now_ns);

  // Whether `hash` is new for the customer at `now_ns`: not yet seen, or first seen less than
  // `period_ns` ago, while the customer has another device first seen before it. A customer's
  // first device is never new: there is no older phone to have moved from.
  bool IsNew(uint64_t customer_id, std::string_view hash, int64_t period_ns, int64_t now_ns) const;

  const std::vector<KnownDevice>* Find(uint64_t customer_id) const;
  // Drops the customer's devices (an account closing).
  void Forget(uint64_t customer_id) { devices_.erase(customer_id); }
  bool empty() const { return devices_.empty(); }
  void Clear() { devices_.clear(); }

  void Serialize(ByteWriter* writer) const;
  // Replaces the contents; false (and empty) when the bytes are malformed.
  bool Deserialize(ByteReader* reader);

 private:
  std::map<uint64_t, std::vector<KnownDevice>> devices_;  // kept sorted by hash
};

}  // namespace qb::identity
