// What campaigns may target beyond tier and channel: a customer's birth date (age bands) and
// when money of theirs last moved (win-back offers for the idle).
//
// Encoding of the facts trailer, after the closures trailer (see customer_book.cc):
//   facts := fact_count:u64 fact*   (ascending customer id; fact_count >= 1)
//   fact  := customer_id:u64 birth_date:u32 last_money_ns:i64
// Only customers with a birth date or a money movement are listed, and the trailer is left out
// when there are none, so a book from before it encodes byte for byte as it did.
//
// A birth date belongs to the verified identity: a customer without one (never verified, or
// purged five years after closing) lists 0.
#include <algorithm>
#include <vector>

#include "base/bytes.h"
#include "identity/calendar_date.h"
#include "identity/customer_book.h"
#include "identity/customer_book_internal.h"

namespace qb::identity {
namespace {

uint32_t BirthDateOf(const Customer& c) { return c.identity ? c.identity->birth_date : 0; }

bool HasFacts(const Customer& c) { return BirthDateOf(c) != 0 || c.last_money_ns != 0; }

}  // namespace

bool CustomerBook::AnyFacts() const {
  return std::any_of(customers_.begin(), customers_.end(),
                     [](const auto& entry) { return HasFacts(entry.second); });
}

void CustomerBook::SerializeFacts(ByteWriter* w) const {
  std::vector<uint64_t> ids;
  for (const auto& [id, c] : customers_) {
    if (HasFacts(c)) ids.push_back(id);
  }
  if (ids.empty()) return;
  std::sort(ids.begin(), ids.end());
  w->U64(ids.size());
  for (uint64_t id : ids) {
    const Customer& c = customers_.at(id);
    w->U64(id);
    w->U32(BirthDateOf(c));
    w->I64(c.last_money_ns);
  }
}

bool CustomerBook::DeserializeFacts(ByteReader* r) {
  const uint64_t count = r->U64();
  if (!r->ok() || count == 0 || count > customers_.size()) return false;
  uint64_t previous_id = 0;
  for (uint64_t i = 0; i < count && r->ok(); i++) {
    Customer* c = NextListedCustomer(this, r, &previous_id);
    if (c == nullptr) return false;
    const uint32_t birth_date = r->U32();
    c->last_money_ns = r->I64();
    if (birth_date != 0) {
      if (!c->identity || !IsPackedDate(birth_date)) return false;
      c->identity->birth_date = birth_date;
    }
    if (c->last_money_ns < 0 || !HasFacts(*c)) return false;
  }
  return r->ok();
}

}  // namespace qb::identity
