// The engine's red packets: the programme in force, each customer's packets to send (earned by
// payments), every packet sent with its split and the shares claimed from it, and the budget
// they hold. The shares themselves are ledger transfers the engine makes.
//
// The budget is spent by claims only. A packet sent reserves its whole amount; each claim moves
// a share from reserved to spent; when the packet expires, what is still unclaimed is released
// (returned) to what the budget can give. So budget >= spent + reserved at all times, and a new
// packet is sent only if its amount fits in what is left.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redpacket/redpacket.h"

namespace qb::redpacket {

// A customer's packets to send.
struct Sender {
  int64_t earned = 0;  // packets earned ever
  int64_t sent = 0;
  int64_t day = 0;  // the China day earned_today is of
  int32_t earned_today = 0;

  int64_t available() const { return earned - sent; }
  bool operator==(const Sender&) const = default;
};

struct Claim {
  uint64_t customer_id = 0;
  int64_t amount_fen = 0;
  int64_t time_s = 0;
  bool operator==(const Claim&) const = default;
};

struct Packet {
  uint64_t id = 0;
  uint64_t sender_id = 0;
  int64_t sent_s = 0;
  int64_t expires_s = 0;
  int64_t amount_fen = 0;
  std::vector<int64_t> shares;  // the split, taken in order by the claimants
  std::vector<Claim> claims;
  bool returned = false;  // expired with shares unclaimed, and those released to the budget

  int64_t claimed_fen() const;
  int64_t unclaimed_fen() const { return amount_fen - claimed_fen(); }
  bool empty() const { return claims.size() == shares.size(); }
  bool expired(int64_t now_s) const { return now_s >= expires_s; }
  const Claim* ClaimOf(uint64_t customer_id) const;
  bool operator==(const Packet&) const = default;
};

struct Figures {
  int64_t packets_sent = 0;
  int64_t claims = 0;
  int64_t spent_fen = 0;      // paid out in shares
  int64_t reserved_fen = 0;   // unclaimed shares of packets not yet expired
  int64_t returned_fen = 0;   // unclaimed shares of expired packets
  int64_t available_fen = 0;  // budget − spent − reserved
  bool operator==(const Figures&) const = default;
};

class RedPacketBook {
 public:
  // Whether a programme was ever set: before that the book adds nothing to the state.
  bool on() const { return version_ != 0; }
  uint64_t version() const { return version_; }
  int64_t updated_s() const { return updated_s_; }
  const Config& config() const { return config_; }
  bool Active(int64_t now_s) const {
    return config_.enabled && now_s >= config_.start_s && now_s < config_.end_s;
  }

  // Replaces the programme. A budget below what is spent and reserved is refused
  // ("budget_fen"). Call Expire(now_s) first.
  Error SetConfig(const Config& config, int64_t now_s);

  // Releases the unclaimed shares of every packet expired by now_s. The engine calls it before
  // any red-packet command, so what the budget can give is current.
  void Expire(int64_t now_s);

  // One packet to send for a completed payment at or above the minimum (false: none earned).
  bool EarnByPayment(uint64_t customer_id, int64_t amount_fen, int64_t now_s);
  Sender SenderOf(uint64_t customer_id, int64_t now_s) const;

  // REDPACKET_OFF, REDPACKET_NONE_TO_SEND or REDPACKET_BUDGET (the budget cannot reserve
  // another packet); ok when Send may run.
  Error CanSend(uint64_t customer_id, int64_t now_s) const;
  // Sends a packet CanSend allowed: split from `seed`, its amount reserved.
  const Packet& Send(uint64_t packet_id, uint64_t customer_id, int64_t now_s, uint64_t seed);

  const Packet* Find(uint64_t packet_id) const;
  // REDPACKET_NOT_FOUND, REDPACKET_EXPIRED, REDPACKET_CLAIMED (the customer took a share
  // already), REDPACKET_EMPTY (every share taken) or REDPACKET_DAILY_LIMIT.
  Error CanClaim(uint64_t packet_id, uint64_t customer_id, int64_t now_s) const;
  // The share the next claim takes.
  int64_t NextShare(uint64_t packet_id) const;
  // Records a claim CanClaim allowed; returns its amount.
  int64_t ClaimShare(uint64_t packet_id, uint64_t customer_id, int64_t now_s);
  // Shares the customer took today.
  int32_t ClaimsToday(uint64_t customer_id, int64_t now_s) const;

  // Newest first, at most `limit`.
  std::vector<const Packet*> SentBy(uint64_t customer_id, size_t limit) const;
  std::vector<const Packet*> ClaimedBy(uint64_t customer_id, size_t limit) const;
  std::vector<const Packet*> Newest(size_t limit) const;

  // The figures as of now_s (packets expired since the last Expire counted as returned).
  Figures FiguresAt(int64_t now_s) const;

  void Serialize(std::string* out) const;
  bool Deserialize(std::string_view bytes);

 private:
  Sender& RolledSender(uint64_t customer_id, int64_t now_s);
  void Index(uint32_t index);

  uint64_t version_ = 0;
  int64_t updated_s_ = 0;
  Config config_;
  int64_t claims_ = 0;
  int64_t spent_fen_ = 0;
  int64_t reserved_fen_ = 0;
  int64_t returned_fen_ = 0;
  absl::flat_hash_map<uint64_t, Sender> senders_;
  std::vector<Packet> packets_;
  absl::flat_hash_map<uint64_t, uint32_t> by_id_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> by_sender_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> by_claimant_;
  std::set<std::pair<int64_t, uint32_t>> live_;  // (expires, index) of packets with shares left
};

}  // namespace qb::redpacket
