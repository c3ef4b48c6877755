// Commands 73 to 75: group red packets (拼手气红包, redpacket/redpacket_book.h holds the rules;
// engine/state_machine_redpacket.cc runs them against the ledger).
//
//   body (type 73) := staff_id:u64 config                                   (SetRedPackets)
//   body (type 74) := customer_id:u64 packet_id:u64 nonce:str               (SendRedPacket)
//   body (type 75) := customer_id:u64 packet_id:u64 device_hash:str        (ClaimRedPacket)
//   config: redpacket::EncodeConfig
//
// Each answers one MarketingResult; kRefused carries a stable code in Reply::text.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "redpacket/redpacket.h"

namespace qb::engine {

// Marketing ops replace the programme. kInvalid with "REDPACKET_INVALID:field" in Reply::text
// (a budget below what is spent and reserved is "budget_fen"). Raising the budget funds
// kRedPacketBudgetAccountId from marketing expense; lowering it returns the difference.
// Reply::value is the new version; audited as redpacket.config_set.
struct SetRedPackets {
  uint64_t staff_id = 0;
  redpacket::Config config;
};

// A customer sends one of the packets their payments earned. `packet_id` is the API's (a
// repeated id answers kDuplicate with the same id); `nonce` is kRedPacketNonceBytes from the
// API's CSPRNG, journaled, so the split is fixed on replay yet nobody can know it beforehand.
// kRefused with REDPACKET_OFF, REDPACKET_NONE_TO_SEND or REDPACKET_BUDGET. Reply::value: the
// packet id.
struct SendRedPacket {
  uint64_t customer_id = 0;
  uint64_t packet_id = 0;
  std::string nonce;
};
inline constexpr size_t kRedPacketNonceBytes = 16;

// A customer opens a shared packet and takes the next share into their wallet (one transfer,
// kRedPacketCash, from the programme's budget). The risk rules judge it as a reward; a
// customer on a device the sender used is refused (REDPACKET_SAME_DEVICE: a farm of accounts
// on one phone emptying its own packets). A customer who took a share already answers
// kDuplicate with that share. kRefused with REDPACKET_NOT_FOUND, REDPACKET_EXPIRED,
// REDPACKET_EMPTY, REDPACKET_DAILY_LIMIT, REDPACKET_SAME_DEVICE or REDPACKET_WALLET_FULL;
// kRiskDenied. Reply::value: the share in fen.
struct ClaimRedPacket {
  uint64_t customer_id = 0;
  uint64_t packet_id = 0;
  std::string device_hash{};
};

}  // namespace qb::engine
