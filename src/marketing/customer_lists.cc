#include "marketing/customer_lists.h"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

namespace qb::marketing {
namespace {

uint64_t SlotBit(uint32_t list_id) { return uint64_t{1} << CustomerListSlot(list_id); }

bool ValidName(std::string_view name) { return !name.empty() && name.size() <= kMaxNameBytes; }

}  // namespace

Error CustomerLists::Create(std::string name, uint64_t staff_id, int64_t now_s, uint32_t* list_id) {
  if (!ValidName(name)) return {"CUSTOMER_LIST_INVALID_NAME", "name"};
  if (lists_.size() >= kMaxCustomerLists || next_serial_ > kMaxCustomerListSerial) {
    return {"CUSTOMER_LIST_LIMIT", ""};
  }
  uint64_t used = 0;
  for (const CustomerList& list : lists_) used |= SlotBit(list.id);
  const int slot = std::countr_one(used);  // the lowest free slot: fewer than 64 are used
  const uint32_t id = next_serial_ * 64 + static_cast<uint32_t>(slot) + 1;
  ++next_serial_;
  lists_.push_back(CustomerList{id, std::move(name), staff_id, now_s, now_s, 0});
  *list_id = id;
  return kOk;
}

CustomerList* CustomerLists::MutableList(uint32_t list_id) {
  const auto at =
      std::lower_bound(lists_.begin(), lists_.end(), list_id,
                       [](const CustomerList& list, uint32_t id) { return list.id < id; });
  return at != lists_.end() && at->id == list_id ? &*at : nullptr;
}

const CustomerList* CustomerLists::Find(uint32_t list_id) const {
  return const_cast<CustomerLists*>(this)->MutableList(list_id);
}

Error CustomerLists::Add(uint32_t list_id, std::span<const uint64_t> customers, int64_t now_s,
                         int64_t* changed) {
  *changed = 0;
  CustomerList* list = MutableList(list_id);
  if (list == nullptr) return {"CUSTOMER_LIST_NOT_FOUND", ""};
  const uint64_t bit = SlotBit(list_id);
  for (const uint64_t customer : customers) {
    uint64_t& bits = bits_[customer];
    if ((bits & bit) != 0) continue;
    bits |= bit;
    ++*changed;
  }
  list->members += *changed;
  list->updated_s = now_s;
  return kOk;
}

Error CustomerLists::Remove(uint32_t list_id, std::span<const uint64_t> customers, int64_t now_s,
                            int64_t* changed) {
  *changed = 0;
  CustomerList* list = MutableList(list_id);
  if (list == nullptr) return {"CUSTOMER_LIST_NOT_FOUND", ""};
  const uint64_t bit = SlotBit(list_id);
  for (const uint64_t customer : customers) {
    const auto found = bits_.find(customer);
    if (found == bits_.end() || (found->second & bit) == 0) continue;
    found->second &= ~bit;
    if (found->second == 0) bits_.erase(found);
    ++*changed;
  }
  list->members -= *changed;
  list->updated_s = now_s;
  return kOk;
}

Error CustomerLists::Delete(uint32_t list_id) {
  const CustomerList* list = Find(list_id);
  if (list == nullptr) return {"CUSTOMER_LIST_NOT_FOUND", ""};
  const uint64_t bit = SlotBit(list_id);
  if (list->members > 0) {
    absl::erase_if(bits_, [bit](std::pair<const uint64_t, uint64_t>& entry) {
      entry.second &= ~bit;
      return entry.second == 0;
    });
  }
  lists_.erase(lists_.begin() + (list - lists_.data()));
  return kOk;
}

void CustomerLists::Serialize(ByteWriter* writer) const {
  writer->U32(next_serial_);
  writer->U32(static_cast<uint32_t>(lists_.size()));
  for (const CustomerList& list : lists_) {
    writer->U32(list.id);
    writer->LengthPrefixed(list.name);
    writer->U64(list.created_by);
    writer->I64(list.created_s);
    writer->I64(list.updated_s);
    writer->I64(list.members);
  }
  std::vector<std::pair<uint64_t, uint64_t>> members(bits_.begin(), bits_.end());
  std::sort(members.begin(), members.end());
  writer->U64(members.size());
  for (const auto& [customer, bits] : members) {
    writer->U64(customer);
    writer->U64(bits);
  }
}

// Refuses anything a sequence of operations could not have produced: ids out of order, two
// lists in one slot, a serial not yet issued, a membership word naming no list or counting
// differently from its list.
bool CustomerLists::Deserialize(ByteReader* reader) {
  lists_.clear();
  bits_.clear();
  next_serial_ = reader->U32();
  const uint32_t count = reader->U32();
  if (!reader->ok() || count > kMaxCustomerLists || next_serial_ > kMaxCustomerListSerial + 1) {
    return false;
  }
  uint64_t used = 0;
  for (uint32_t i = 0; i < count; ++i) {
    CustomerList list;
    list.id = reader->U32();
    list.name = std::string(reader->LengthPrefixed());
    list.created_by = reader->U64();
    list.created_s = reader->I64();
    list.updated_s = reader->I64();
    list.members = reader->I64();
    if (!reader->ok() || list.id == 0 || (list.id - 1) / 64 >= next_serial_ ||
        (!lists_.empty() && list.id <= lists_.back().id) || (used & SlotBit(list.id)) != 0 ||
        !ValidName(list.name) || list.members < 0 || list.created_s < 0 ||
        list.updated_s < list.created_s) {
      return false;
    }
    used |= SlotBit(list.id);
    lists_.push_back(std::move(list));
  }
  const uint64_t members = reader->U64();
  if (!reader->ok() || members > reader->remaining() / 16) return false;
  bits_.reserve(members);
  std::array<int64_t, 64> per_slot{};
  uint64_t previous = 0;
  for (uint64_t i = 0; i < members; ++i) {
    const uint64_t customer = reader->U64();
    const uint64_t bits = reader->U64();
    if (!reader->ok() || (i > 0 && customer <= previous) || bits == 0 || (bits & ~used) != 0) {
      return false;
    }
    previous = customer;
    for (uint64_t rest = bits; rest != 0; rest &= rest - 1) per_slot[std::countr_zero(rest)]++;
    bits_.emplace(customer, bits);
  }
  for (const CustomerList& list : lists_) {
    if (per_slot[CustomerListSlot(list.id)] != list.members) return false;
  }
  return true;
}

}  // namespace qb::marketing
