// Fixed-size binary encodings of accounts and transfers, shared by checkpoints, the state hash
// and the journal's command records. Layouts are documented in ledger_state.cc.
#pragma once

#include "base/bytes.h"
#include "ledger/types.h"

namespace qb::ledger {

inline constexpr size_t kEncodedAccountBytes = 64;
inline constexpr size_t kEncodedTransferBytes = 68;

inline void EncodeAccount(const Account& a, ByteWriter* w) {
  w->U64(a.id);
  w->U64(a.user_data);
  w->I64(a.debits_pending);
  w->I64(a.debits_posted);
  w->I64(a.credits_pending);
  w->I64(a.credits_posted);
  w->I64(a.timestamp_ns);
  w->U32(a.ledger);
  w->U16(a.kind);
  w->U16(a.flags);
}

inline Account DecodeAccount(ByteReader* r) {
  Account a;
  a.id = r->U64();
  a.user_data = r->U64();
  a.debits_pending = r->I64();
  a.debits_posted = r->I64();
  a.credits_pending = r->I64();
  a.credits_posted = r->I64();
  a.timestamp_ns = r->I64();
  a.ledger = r->U32();
  a.kind = r->U16();
  a.flags = r->U16();
  return a;
}

inline void EncodeTransfer(const Transfer& t, ByteWriter* w) {
  w->U64(t.id);
  w->U64(t.debit_account_id);
  w->U64(t.credit_account_id);
  w->I64(t.amount);
  w->U64(t.pending_id);
  w->U64(t.user_data);
  w->I64(t.timestamp_ns);
  w->U32(t.timeout_s);
  w->U32(t.ledger);
  w->U16(t.code);
  w->U16(t.flags);
}

inline Transfer DecodeTransfer(ByteReader* r) {
  Transfer t;
  t.id = r->U64();
  t.debit_account_id = r->U64();
  t.credit_account_id = r->U64();
  t.amount = r->I64();
  t.pending_id = r->U64();
  t.user_data = r->U64();
  t.timestamp_ns = r->I64();
  t.timeout_s = r->U32();
  t.ledger = r->U32();
  t.code = r->U16();
  t.flags = r->U16();
  return t;
}

}  // namespace qb::ledger
