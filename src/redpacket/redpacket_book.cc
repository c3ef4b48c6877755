#include "redpacket/redpacket_book.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"

namespace qb::redpacket {
namespace {

constexpr int64_t kChinaOffsetSeconds = 8 * 3'600;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kSecondsPerHour = 3'600;

int64_t ChinaDay(int64_t unix_s) { return (unix_s + kChinaOffsetSeconds) / kSecondsPerDay; }

Error Refused(std::string_view code) { return Error{code, ""}; }

}  // namespace

int64_t Packet::claimed_fen() const {
  int64_t sum = 0;
  for (const Claim& claim : claims) sum += claim.amount_fen;
  return sum;
}

const Claim* Packet::ClaimOf(uint64_t customer_id) const {
  for (const Claim& claim : claims) {
    if (claim.customer_id == customer_id) return &claim;
  }
  return nullptr;
}

Error RedPacketBook::SetConfig(const Config& config, int64_t now_s) {
  if (Error e = Validate(config); !e.ok()) return e;
  if (config.budget_fen < spent_fen_ + reserved_fen_) {
    return Error{"REDPACKET_INVALID", "budget_fen"};
  }
  config_ = config;
  ++version_;
  updated_s_ = now_s;
  return Error{};
}

void RedPacketBook::Expire(int64_t now_s) {
  while (!live_.empty() && live_.begin()->first <= now_s) {
    Packet& packet = packets_[live_.begin()->second];
    live_.erase(live_.begin());
    const int64_t unclaimed = packet.unclaimed_fen();
    packet.returned = true;
    reserved_fen_ -= unclaimed;
    returned_fen_ += unclaimed;
  }
  QB_ASSERT(reserved_fen_ >= 0);
}

Sender& RedPacketBook::RolledSender(uint64_t customer_id, int64_t now_s) {
  Sender& sender = senders_[customer_id];
  const int64_t day = ChinaDay(now_s);
  if (sender.day != day) {
    sender.day = day;
    sender.earned_today = 0;
  }
  return sender;
}

bool RedPacketBook::EarnByPayment(uint64_t customer_id, int64_t amount_fen, int64_t now_s) {
  if (!Active(now_s) || amount_fen < config_.payment_min_fen) return false;
  Sender& sender = RolledSender(customer_id, now_s);
  if (sender.earned_today >= config_.packets_daily) return false;
  ++sender.earned_today;
  ++sender.earned;
  return true;
}

Sender RedPacketBook::SenderOf(uint64_t customer_id, int64_t now_s) const {
  const auto it = senders_.find(customer_id);
  Sender sender = it == senders_.end() ? Sender{} : it->second;
  if (sender.day != ChinaDay(now_s)) {
    sender.day = ChinaDay(now_s);
    sender.earned_today = 0;
  }
  return sender;
}

Error RedPacketBook::CanSend(uint64_t customer_id, int64_t now_s) const {
  if (!Active(now_s)) return Refused("REDPACKET_OFF");
  if (SenderOf(customer_id, now_s).available() <= 0) return Refused("REDPACKET_NONE_TO_SEND");
  if (config_.packet_fen > config_.budget_fen - spent_fen_ - reserved_fen_) {
    return Refused("REDPACKET_BUDGET");
  }
  return Error{};
}

const Packet& RedPacketBook::Send(uint64_t packet_id, uint64_t customer_id, int64_t now_s,
                                  uint64_t seed) {
  QB_ASSERT(CanSend(customer_id, now_s).ok() && !by_id_.contains(packet_id));
  ++senders_[customer_id].sent;
  Packet packet;
  packet.id = packet_id;
  packet.sender_id = customer_id;
  packet.sent_s = now_s;
  packet.expires_s = now_s + int64_t{config_.valid_hours} * kSecondsPerHour;
  packet.amount_fen = config_.packet_fen;
  packet.shares = Split(config_.packet_fen, config_.shares, seed);
  reserved_fen_ += packet.amount_fen;
  const auto index = static_cast<uint32_t>(packets_.size());
  packets_.push_back(std::move(packet));
  Index(index);
  return packets_.back();
}

void RedPacketBook::Index(uint32_t index) {
  const Packet& packet = packets_[index];
  by_id_[packet.id] = index;
  by_sender_[packet.sender_id].push_back(index);
  for (const redpacket::Claim& claim : packet.claims)
    by_claimant_[claim.customer_id].push_back(index);
  if (!packet.returned && !packet.empty()) live_.emplace(packet.expires_s, index);
}

const Packet* RedPacketBook::Find(uint64_t packet_id) const {
  const auto it = by_id_.find(packet_id);
  return it == by_id_.end() ? nullptr : &packets_[it->second];
}

int32_t RedPacketBook::ClaimsToday(uint64_t customer_id, int64_t now_s) const {
  const auto it = by_claimant_.find(customer_id);
  if (it == by_claimant_.end()) return 0;
  const int64_t today = ChinaDay(now_s);
  int32_t count = 0;
  // Claims are appended in time order: the newest are at the back.
  for (size_t i = it->second.size(); i-- > 0;) {
    const redpacket::Claim* claim = packets_[it->second[i]].ClaimOf(customer_id);
    if (ChinaDay(claim->time_s) != today) break;
    ++count;
  }
  return count;
}

Error RedPacketBook::CanClaim(uint64_t packet_id, uint64_t customer_id, int64_t now_s) const {
  const Packet* packet = Find(packet_id);
  if (packet == nullptr) return Refused("REDPACKET_NOT_FOUND");
  if (packet->ClaimOf(customer_id) != nullptr) return Refused("REDPACKET_CLAIMED");
  if (packet->expired(now_s)) return Refused("REDPACKET_EXPIRED");
  if (packet->empty()) return Refused("REDPACKET_EMPTY");
  if (ClaimsToday(customer_id, now_s) >= config_.claims_daily) {
    return Refused("REDPACKET_DAILY_LIMIT");
  }
  return Error{};
}

int64_t RedPacketBook::NextShare(uint64_t packet_id) const {
  const Packet* packet = Find(packet_id);
  QB_ASSERT(packet != nullptr && !packet->empty());
  return packet->shares[packet->claims.size()];
}

int64_t RedPacketBook::ClaimShare(uint64_t packet_id, uint64_t customer_id, int64_t now_s) {
  QB_ASSERT(CanClaim(packet_id, customer_id, now_s).ok());
  const uint32_t index = by_id_.at(packet_id);
  Packet& packet = packets_[index];
  const int64_t amount = packet.shares[packet.claims.size()];
  packet.claims.push_back(redpacket::Claim{customer_id, amount, now_s});
  by_claimant_[customer_id].push_back(index);
  ++claims_;
  spent_fen_ += amount;
  reserved_fen_ -= amount;
  if (packet.empty()) live_.erase({packet.expires_s, index});
  QB_ASSERT(reserved_fen_ >= 0 && spent_fen_ + reserved_fen_ <= config_.budget_fen);
  return amount;
}

namespace {

std::vector<const Packet*> NewestOf(const std::vector<Packet>& packets,
                                    const std::vector<uint32_t>& indices, size_t limit) {
  std::vector<const Packet*> out;
  for (size_t i = indices.size(); i-- > 0 && out.size() < limit;) {
    out.push_back(&packets[indices[i]]);
  }
  return out;
}

}  // namespace

std::vector<const Packet*> RedPacketBook::SentBy(uint64_t customer_id, size_t limit) const {
  const auto it = by_sender_.find(customer_id);
  return it == by_sender_.end() ? std::vector<const Packet*>{}
                                : NewestOf(packets_, it->second, limit);
}

std::vector<const Packet*> RedPacketBook::ClaimedBy(uint64_t customer_id, size_t limit) const {
  const auto it = by_claimant_.find(customer_id);
  return it == by_claimant_.end() ? std::vector<const Packet*>{}
                                  : NewestOf(packets_, it->second, limit);
}

std::vector<const Packet*> RedPacketBook::Newest(size_t limit) const {
  std::vector<const Packet*> out;
  for (size_t i = packets_.size(); i-- > 0 && out.size() < limit;) out.push_back(&packets_[i]);
  return out;
}

Figures RedPacketBook::FiguresAt(int64_t now_s) const {
  Figures f;
  f.packets_sent = static_cast<int64_t>(packets_.size());
  f.claims = claims_;
  f.spent_fen = spent_fen_;
  f.reserved_fen = reserved_fen_;
  f.returned_fen = returned_fen_;
  for (auto it = live_.begin(); it != live_.end() && it->first <= now_s; ++it) {
    const int64_t unclaimed = packets_[it->second].unclaimed_fen();
    f.reserved_fen -= unclaimed;
    f.returned_fen += unclaimed;
  }
  f.available_fen = config_.budget_fen - f.spent_fen - f.reserved_fen;
  return f;
}

// version:u64 updated_s:i64 config; count:u64 (customer:u64 earned:i64 sent:i64 day:i64
// earned_today:u32) by customer; count:u64 (id:u64 sender:u64 sent:i64 expires:i64 amount:i64
// returned:u8 shares:u32 share:i64... claims:u32 (customer:u64 amount:i64 time:i64)...) in the
// order sent. Spent, reserved and returned are recomputed from the packets.
void RedPacketBook::Serialize(std::string* out) const {
  ByteWriter writer(out);
  writer.U64(version_);
  writer.I64(updated_s_);
  EncodeConfig(config_, &writer);
  std::vector<const std::pair<const uint64_t, Sender>*> senders;
  for (const auto& entry : senders_) senders.push_back(&entry);
  std::sort(senders.begin(), senders.end(), [](auto a, auto b) { return a->first < b->first; });
  writer.U64(senders.size());
  for (const auto* entry : senders) {
    writer.U64(entry->first);
    writer.I64(entry->second.earned);
    writer.I64(entry->second.sent);
    writer.I64(entry->second.day);
    writer.U32(static_cast<uint32_t>(entry->second.earned_today));
  }
  writer.U64(packets_.size());
  for (const Packet& p : packets_) {
    writer.U64(p.id);
    writer.U64(p.sender_id);
    writer.I64(p.sent_s);
    writer.I64(p.expires_s);
    writer.I64(p.amount_fen);
    writer.U8(p.returned ? 1 : 0);
    writer.U32(static_cast<uint32_t>(p.shares.size()));
    for (const int64_t share : p.shares) writer.I64(share);
    writer.U32(static_cast<uint32_t>(p.claims.size()));
    for (const redpacket::Claim& c : p.claims) {
      writer.U64(c.customer_id);
      writer.I64(c.amount_fen);
      writer.I64(c.time_s);
    }
  }
}

bool RedPacketBook::Deserialize(std::string_view bytes) {
  *this = RedPacketBook();
  ByteReader reader(bytes);
  version_ = reader.U64();
  updated_s_ = reader.I64();
  if (!DecodeConfig(&reader, &config_) || version_ == 0 || !Validate(config_).ok()) return false;
  uint64_t count = reader.U64();
  if (!reader.ok() || count > reader.remaining() / 36) return false;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t customer = reader.U64();
    Sender s;
    s.earned = reader.I64();
    s.sent = reader.I64();
    s.day = reader.I64();
    s.earned_today = static_cast<int32_t>(reader.U32());
    if (!reader.ok() || s.sent < 0 || s.sent > s.earned || !senders_.emplace(customer, s).second) {
      return false;
    }
  }
  count = reader.U64();
  if (!reader.ok() || count > reader.remaining() / 49) return false;
  packets_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    Packet p;
    p.id = reader.U64();
    p.sender_id = reader.U64();
    p.sent_s = reader.I64();
    p.expires_s = reader.I64();
    p.amount_fen = reader.I64();
    const uint8_t returned = reader.U8();
    p.returned = returned == 1;
    const uint32_t shares = reader.U32();
    if (!reader.ok() || returned > 1 || shares < 1 || shares > kMaxShares ||
        p.amount_fen < shares || p.amount_fen > kMaxPacketFen) {
      return false;
    }
    int64_t sum = 0;
    for (uint32_t j = 0; j < shares; ++j) {
      p.shares.push_back(reader.I64());
      if (p.shares.back() < 1 || p.shares.back() > p.amount_fen) return false;
      sum += p.shares.back();
    }
    const uint32_t claims = reader.U32();
    if (!reader.ok() || sum != p.amount_fen || claims > shares) return false;
    for (uint32_t j = 0; j < claims; ++j) {
      redpacket::Claim c;
      c.customer_id = reader.U64();
      c.amount_fen = reader.I64();
      c.time_s = reader.I64();
      if (!reader.ok() || c.amount_fen != p.shares[j] || p.ClaimOf(c.customer_id) != nullptr) {
        return false;
      }
      p.claims.push_back(c);
    }
    if (by_id_.contains(p.id)) return false;
    claims_ += claims;
    spent_fen_ += p.claimed_fen();
    (p.returned ? returned_fen_ : reserved_fen_) += p.unclaimed_fen();
    packets_.push_back(std::move(p));
    Index(static_cast<uint32_t>(packets_.size() - 1));
  }
  // Index added each customer's claims in the order packets were sent: put them back in the
  // order they were made, as ClaimsToday reads them.
  for (auto& [customer, indices] : by_claimant_) {
    std::stable_sort(indices.begin(), indices.end(), [&, id = customer](uint32_t a, uint32_t b) {
      return packets_[a].ClaimOf(id)->time_s < packets_[b].ClaimOf(id)->time_s;
    });
  }
  return reader.ok() && reader.remaining() == 0 && spent_fen_ + reserved_fen_ <= config_.budget_fen;
}

}  // namespace qb::redpacket
