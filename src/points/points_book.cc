#include "points/points_book.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/assert.h"
#include "base/bytes.h"

namespace qb::points {
namespace {

// What q keeps once `kept` of `paid` is still paid: floor(q × kept / paid).
int64_t Kept(int64_t q, int64_t kept, int64_t paid) {
  return static_cast<int64_t>(static_cast<__int128>(q) * kept / paid);
}

template <typename Map>
std::vector<std::pair<uint64_t, typename Map::mapped_type>> Sorted(const Map& map) {
  std::vector<std::pair<uint64_t, typename Map::mapped_type>> entries(map.begin(), map.end());
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

}  // namespace

RefundShares SharesOf(const PaymentPoints& record, int64_t refunded_after_fen) {
  QB_ASSERT(record.paid_fen > 0 && refunded_after_fen >= record.refunded_fen &&
            refunded_after_fen <= record.paid_fen);
  const int64_t kept = record.paid_fen - refunded_after_fen;
  RefundShares shares;
  shares.clawback = std::max<int64_t>(
      0, record.earned - record.earned_reversed - Kept(record.earned, kept, record.paid_fen));
  shares.restore =
      record.redeemed - record.redeemed_restored - Kept(record.redeemed, kept, record.paid_fen);
  shares.discount_back_fen = record.discount_fen - record.discount_returned_fen -
                             Kept(record.discount_fen, kept, record.paid_fen);
  return shares;
}

Error PointsBook::SetProgram(Program program, int64_t now_s) {
  Normalize(&program);
  Error e = Validate(program);
  if (!e.ok()) return e;
  program_ = std::move(program);
  version_++;
  updated_s_ = now_s;
  return e;
}

const PaymentPoints* PointsBook::FindPayment(uint64_t payment_id) const {
  const auto it = payments_.find(payment_id);
  return it == payments_.end() ? nullptr : &it->second;
}

void PointsBook::RecordPayment(uint64_t payment_id, const PaymentPoints& record) {
  QB_ASSERT(record.paid_fen > 0);
  payments_[payment_id] = record;
  pending_.erase(payment_id);
}

void PointsBook::RecordRefund(uint64_t payment_id, int64_t refunded_after_fen, int64_t clawed_back,
                              const RefundShares& shares) {
  const auto it = payments_.find(payment_id);
  QB_ASSERT(it != payments_.end());
  PaymentPoints& record = it->second;
  QB_ASSERT(clawed_back >= 0 && clawed_back <= shares.clawback);
  record.refunded_fen = refunded_after_fen;
  record.earned_reversed += clawed_back;
  record.redeemed_restored += shares.restore;
  record.discount_returned_fen += shares.discount_back_fen;
}

int64_t PointsBook::PendingRedeem(uint64_t payment_id) const {
  const auto it = pending_.find(payment_id);
  return it == pending_.end() ? 0 : it->second;
}

void PointsBook::SetPendingRedeem(uint64_t payment_id, int64_t points) {
  if (points > 0) pending_[payment_id] = points;
}

void PointsBook::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(version_);
  writer.I64(updated_s_);
  EncodeProgram(program_, &writer);
  const auto payments = Sorted(payments_);
  writer.U64(payments.size());
  for (const auto& [id, r] : payments) {
    writer.U64(id);
    writer.U64(r.customer_id);
    for (int64_t v : {r.paid_fen, r.refunded_fen, r.earned, r.earned_reversed, r.redeemed,
                      r.redeemed_restored, r.discount_fen, r.discount_returned_fen}) {
      writer.I64(v);
    }
  }
  const auto pending = Sorted(pending_);
  writer.U64(pending.size());
  for (const auto& [id, points] : pending) {
    writer.U64(id);
    writer.I64(points);
  }
}

bool PointsBook::Deserialize(std::string_view bytes) {
  *this = PointsBook();
  ByteReader reader(bytes);
  version_ = reader.U64();
  updated_s_ = reader.I64();
  if (!DecodeProgram(&reader, &program_) || version_ == 0 || !Validate(program_).ok()) {
    return false;
  }
  uint64_t count = reader.U64();
  uint64_t last = 0;
  for (uint64_t i = 0; i < count && reader.ok(); i++) {
    const uint64_t id = reader.U64();
    PaymentPoints r;
    r.customer_id = reader.U64();
    for (int64_t* v : {&r.paid_fen, &r.refunded_fen, &r.earned, &r.earned_reversed, &r.redeemed,
                       &r.redeemed_restored, &r.discount_fen, &r.discount_returned_fen}) {
      *v = reader.I64();
    }
    // Ids ascending (one encoding per state), every share within its whole.
    if (!reader.ok() || (i > 0 && id <= last) || r.paid_fen <= 0 || r.refunded_fen < 0 ||
        r.refunded_fen > r.paid_fen || r.earned_reversed < 0 || r.earned_reversed > r.earned ||
        r.redeemed_restored < 0 || r.redeemed_restored > r.redeemed ||
        r.discount_returned_fen < 0 || r.discount_returned_fen > r.discount_fen) {
      return false;
    }
    payments_.emplace(id, r);
    last = id;
  }
  count = reader.U64();
  for (uint64_t i = 0; i < count && reader.ok(); i++) {
    const uint64_t id = reader.U64();
    const int64_t points = reader.I64();
    if (!reader.ok() || (i > 0 && id <= last) || points <= 0) return false;
    pending_.emplace(id, points);
    last = id;
  }
  return reader.ok() && reader.remaining() == 0;
}

}  // namespace qb::points
