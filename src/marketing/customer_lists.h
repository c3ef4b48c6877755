// Custom customer lists (自定义人群包): named sets of customers that marketing ops upload (a CSV
// of phones, resolved by the API) and campaigns target (Eligibility::customer_list).
//
// At most kMaxCustomerLists lists exist at once, so a customer's memberships fit one 64-bit
// word: bit CustomerListSlot(id) of MembershipBits(customer) is set while the customer is in
// list `id`. Pricing reads that word from PaymentContext::list_bits, as it reads the segment
// bits, at the cost of one hash lookup per payment (none while no list exists). Ids are never
// reused: id = serial * 64 + slot + 1, with a serial counting every list ever created, so the
// slot comes from the id and a campaign that names a deleted list can never match the members
// of a later list in the same slot (CampaignBook refuses to delete a list a campaign that has
// not ended targets, and refuses a configuration naming a list that does not exist).
//
// Deterministic, no clock (times are inputs); not thread-safe (the engine's writer owns it).
// Memory: about 32 bytes per customer in any list (key, word, hash-table slack).
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "marketing/campaign.h"

namespace qb::marketing {

inline constexpr size_t kMaxCustomerLists = 64;
// The largest serial an id can carry: serial * 64 + 64 stays below 2^32.
inline constexpr uint32_t kMaxCustomerListSerial = (uint32_t{1} << 26) - 2;

struct CustomerList {
  uint32_t id = 0;
  std::string name;         // 1..kMaxNameBytes bytes
  uint64_t created_by = 0;  // staff id
  int64_t created_s = 0;
  int64_t updated_s = 0;  // the last change of the name or the members
  int64_t members = 0;

  bool operator==(const CustomerList&) const = default;
};

class CustomerLists {
 public:
  // A new empty list. Codes: CUSTOMER_LIST_INVALID_NAME (empty or longer than kMaxNameBytes),
  // CUSTOMER_LIST_LIMIT (kMaxCustomerLists exist, or the serials ran out).
  Error Create(std::string name, uint64_t staff_id, int64_t now_s, uint32_t* list_id);
  // Adds (Remove: takes out) each customer; ids already in (not in) the list, or repeated, are
  // skipped. *changed counts the customers added (removed). Code: CUSTOMER_LIST_NOT_FOUND.
  Error Add(uint32_t list_id, std::span<const uint64_t> customers, int64_t now_s, int64_t* changed);
  Error Remove(uint32_t list_id, std::span<const uint64_t> customers, int64_t now_s,
               int64_t* changed);
  // Drops the list and its memberships: O(customers in any list). Code:
  // CUSTOMER_LIST_NOT_FOUND. Whether a campaign still targets it is the caller's check.
  Error Delete(uint32_t list_id);

  const CustomerList* Find(uint32_t list_id) const;
  std::span<const CustomerList> lists() const { return lists_; }  // ascending id
  // Whether any list was ever made (a book without lists that had some is another state).
  bool ever_created() const { return next_serial_ != 0; }
  // Bit CustomerListSlot(id) for each list holding the customer; 0 for most customers.
  uint64_t MembershipBits(uint64_t customer_id) const {
    if (bits_.empty()) return 0;
    const auto found = bits_.find(customer_id);
    return found == bits_.end() ? 0 : found->second;
  }
  bool Contains(uint32_t list_id, uint64_t customer_id) const {
    return Find(list_id) != nullptr &&
           (MembershipBits(customer_id) >> CustomerListSlot(list_id) & 1) != 0;
  }

  // Canonical bytes (grammar in campaign_book_codec.cc).
  void Serialize(ByteWriter* writer) const;
  bool Deserialize(ByteReader* reader);

 private:
  CustomerList* MutableList(uint32_t list_id);

  std::vector<CustomerList> lists_;
  uint32_t next_serial_ = 0;
  absl::flat_hash_map<uint64_t, uint64_t> bits_;  // customer id → membership bits, never 0
};

}  // namespace qb::marketing
