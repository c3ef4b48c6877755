#include "identity/known_devices.h"

#include <algorithm>

#include "base/assert.h"

namespace qb::identity {
namespace {

bool ByHash(const KnownDevice& device, std::string_view hash) { return device.hash < hash; }

}  // namespace

void KnownDevices::Record(uint64_t customer_id, std::string_view hash, int64_t now_ns) {
  QB_ASSERT(hash.size() <= kMaxHashBytes);
  std::vector<KnownDevice>& devices = devices_[customer_id];
  auto at = std::lower_bound(devices.begin(), devices.end(), hash, ByHash);
  if (at != devices.end() && at->hash == hash) {
    at->last_seen_ns = std::max(at->last_seen_ns, now_ns);
    return;
  }
  if (devices.size() == kMaxDevicesPerCustomer) {
    // The least recently seen goes; ties by hash, so the choice is deterministic.
    auto oldest = std::min_element(
        devices.begin(), devices.end(), [](const KnownDevice& a, const KnownDevice& b) {
          return a.last_seen_ns != b.last_seen_ns ? a.last_seen_ns < b.last_seen_ns
                                                  : a.hash < b.hash;
        });
    devices.erase(oldest);
    at = std::lower_bound(devices.begin(), devices.end(), hash, ByHash);
  }
  devices.insert(at, KnownDevice{std::string(hash), now_ns, now_ns});
}

bool KnownDevices::IsNew(uint64_t customer_id, std::string_view hash, int64_t period_ns,
                         int64_t now_ns) const {
  const std::vector<KnownDevice>* devices = Find(customer_id);
  if (devices == nullptr || devices->empty()) return false;
  auto at = std::lower_bound(devices->begin(), devices->end(), hash, ByHash);
  const bool known = at != devices->end() && at->hash == hash;
  if (!known) return true;  // Another device has logged in; this one never has.
  if (now_ns - at->first_seen_ns >= period_ns) return false;
  return std::any_of(devices->begin(), devices->end(), [&](const KnownDevice& other) {
    return other.first_seen_ns < at->first_seen_ns;
  });
}

const std::vector<KnownDevice>* KnownDevices::Find(uint64_t customer_id) const {
  auto it = devices_.find(customer_id);
  return it == devices_.end() ? nullptr : &it->second;
}

void KnownDevices::Serialize(ByteWriter* writer) const {
  writer->U64(devices_.size());
  for (const auto& [customer_id, devices] : devices_) {
    writer->U64(customer_id);
    writer->U8(static_cast<uint8_t>(devices.size()));
    for (const KnownDevice& device : devices) {
      writer->LengthPrefixed(device.hash);
      writer->I64(device.first_seen_ns);
      writer->I64(device.last_seen_ns);
    }
  }
}

bool KnownDevices::Deserialize(ByteReader* reader) {
  devices_.clear();
  const uint64_t customers = reader->U64();
  // Each customer takes at least 9 bytes: a count beyond what is left is malformed.
  if (customers > reader->remaining() / 9) return false;
  uint64_t previous_customer = 0;
  for (uint64_t i = 0; i < customers && reader->ok(); i++) {
    const uint64_t customer_id = reader->U64();
    const uint8_t count = reader->U8();
    if ((i > 0 && customer_id <= previous_customer) || count == 0 ||
        count > kMaxDevicesPerCustomer) {
      devices_.clear();
      return false;
    }
    std::vector<KnownDevice>& devices = devices_[customer_id];
    for (uint8_t j = 0; j < count && reader->ok(); j++) {
      KnownDevice device;
      device.hash = std::string(reader->LengthPrefixed());
      device.first_seen_ns = reader->I64();
      device.last_seen_ns = reader->I64();
      if (device.hash.size() > kMaxHashBytes || device.last_seen_ns < device.first_seen_ns ||
          (!devices.empty() && devices.back().hash >= device.hash)) {
        devices_.clear();
        return false;
      }
      devices.push_back(std::move(device));
    }
    previous_customer = customer_id;
  }
  if (!reader->ok()) devices_.clear();
  return reader->ok();
}

}  // namespace qb::identity
