// Shared by the customer book's trailer codecs (customer_book*.cc). Not part of the public
// interface.
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "identity/customer_book.h"

namespace qb::identity {

// Reads the next customer id of a trailer that lists customers in ascending id order: that
// customer, or nullptr when it is unknown or out of order (the trailer is corrupt).
inline Customer* NextListedCustomer(CustomerBook* book, ByteReader* r, uint64_t* previous_id) {
  const uint64_t id = r->U64();
  Customer* c = book->MutableById(id);
  if (c == nullptr || id <= *previous_id) return nullptr;
  *previous_id = id;
  return c;
}

}  // namespace qb::identity
