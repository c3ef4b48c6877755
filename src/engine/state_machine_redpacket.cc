// Group red packets in the engine (拼手气红包): the programme (SetRedPackets, command 73), a
// customer sending a packet their payment earned (SendRedPacket, 74), friends claiming its
// shares (ClaimRedPacket, 75), and the packet a completed payment earns. The book's rules are
// in redpacket/redpacket_book.h.
//
// A packet's split is drawn from a hash of the nonce the API drew from its CSPRNG, the sender,
// the packet id and the batch time, all journaled: replay splits the same, and nobody outside
// the server knows a split before it is made. A share claimed is one transfer, the programme's
// budget account → the claimant's wallet (kRedPacketCash); the account is funded from
// marketing expense by the configured budget, and the book reserves each packet's amount when
// it is sent, so every share is covered. Unclaimed shares of an expired packet stay in the
// account: the book releases them to what later packets may reserve.
#include <string>

#include "base/assert.h"
#include "engine/state_machine.h"
#include "engine/state_machine_internal.h"

namespace qb::engine {
namespace {

using internal::DerivedId;
using internal::kNsPerSecond;

uint64_t SplitSeed(const SendRedPacket& c, int64_t batch_time_ns) {
  return internal::NonceSeed("qianbao/engine/red-packet-split/v1", c.nonce, c.customer_id,
                             c.packet_id, batch_time_ns);
}

}  // namespace

Reply StateMachine::ApplyRedPacket(const Command& command) {
  Reply reply;
  MarketingResult r = MarketingResult::kOk;
  const int64_t now_s = batch_time_ns_ / kNsPerSecond;
  auto refuse = [&](std::string_view code) {
    r = MarketingResult::kRefused;
    reply.text = std::string(code);
  };
  red_packets_.Expire(now_s);
  if (const auto* c = std::get_if<SetRedPackets>(&command)) {
    const int64_t budget_before = red_packets_.on() ? red_packets_.config().budget_fen : 0;
    if (staff_.FindById(c->staff_id) == nullptr) {
      r = MarketingResult::kStaffNotFound;
    } else if (const redpacket::Error e = red_packets_.SetConfig(c->config, now_s); !e.ok()) {
      r = MarketingResult::kInvalid;
      reply.text = std::string(e.code).append(":").append(e.field);
    } else {
      reply.value = red_packets_.version();
      // Lowered never below what is spent and reserved (SetConfig checked).
      MoveProgramBudget(kRedPacketBudgetAccountId, c->config.budget_fen - budget_before,
                        reply.value, "red-packet-budget");
    }
  } else if (const auto* c = std::get_if<SendRedPacket>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    if (customer == nullptr || customer->closed()) {
      r = MarketingResult::kCustomerNotFound;
    } else if (const redpacket::Packet* earlier = red_packets_.Find(c->packet_id)) {
      r = earlier->sender_id == c->customer_id ? MarketingResult::kDuplicate
                                               : MarketingResult::kInvalid;
      reply.value = c->packet_id;
    } else if (const redpacket::Error e = red_packets_.CanSend(c->customer_id, now_s); !e.ok()) {
      refuse(e.code);
    } else {
      red_packets_.Send(c->packet_id, c->customer_id, now_s, SplitSeed(*c, batch_time_ns_));
      reply.value = c->packet_id;
    }
  } else if (const auto* c = std::get_if<ClaimRedPacket>(&command)) {
    const identity::Customer* customer = customers_.FindById(c->customer_id);
    const redpacket::Packet* packet = red_packets_.Find(c->packet_id);
    const redpacket::Claim* earlier = packet == nullptr ? nullptr : packet->ClaimOf(c->customer_id);
    if (customer == nullptr || customer->closed()) {
      r = MarketingResult::kCustomerNotFound;
    } else if (earlier != nullptr) {
      r = MarketingResult::kDuplicate;  // A retry, or a second tap: the same share.
      reply.value = static_cast<uint64_t>(earlier->amount_fen);
    } else if (const redpacket::Error e =
                   red_packets_.CanClaim(c->packet_id, c->customer_id, now_s);
               !e.ok()) {
      refuse(e.code);
    } else if (packet->sender_id != c->customer_id &&
               CustomerUsedDevice(packet->sender_id, c->device_hash)) {
      refuse("REDPACKET_SAME_DEVICE");
    } else {
      const int64_t amount = red_packets_.NextShare(c->packet_id);
      if (!WalletCanTake(*customer, amount)) {
        refuse("REDPACKET_WALLET_FULL");
      } else if (!CheckRedPacketClaimRisk(*c, amount)) {
        r = MarketingResult::kRiskDenied;
      } else {
        const auto share = static_cast<uint64_t>(packet->claims.size());
        ledger::Transfer t;
        t.id = DerivedId(c->packet_id, "red-packet-share-" + std::to_string(share));
        t.debit_account_id = kRedPacketBudgetAccountId;
        t.credit_account_id = customer->wallet_account_id;
        t.amount = amount;
        t.ledger = ledger::kLedgerCny;
        t.code = ledger::transfer_codes::kRedPacketCash;
        t.user_data = c->packet_id;
        ledger_.CreateTransfers(std::span(&t, 1), batch_time_ns_, &transfer_results_);
        // The book reserved the share when the packet was sent, within the funded budget.
        QB_ASSERT(transfer_results_[0] == ledger::CreateTransferResult::kOk);
        ProjectCreated(std::span(&t, 1));
        red_packets_.ClaimShare(c->packet_id, c->customer_id, now_s);
        reply.value = static_cast<uint64_t>(amount);
      }
    }
  }
  reply.results.push_back(static_cast<uint8_t>(r));
  return reply;
}

bool StateMachine::CheckRedPacketClaimRisk(const ClaimRedPacket& c, int64_t amount_fen) {
  risk_pending_.reset();
  if (!risk_.on()) return true;
  // A share is a reward: the rules against reward farms (shared devices, young referral
  // chains) judge it like a referral bonus.
  risk::Reward event;
  event.customer = c.customer_id;
  event.device = RiskDeviceId(c.device_hash);
  event.amount_fen = amount_fen;
  const risk::Decision& decision = risk_.engine().Evaluate(event, RiskNow());
  bool denied = decision.verdict == risk::Verdict::kDeny || decision.deny_reward;
  if (RiskBlocked({{risk::EntityKind::kCustomer, event.customer},
                   {risk::EntityKind::kDevice, event.device}})) {
    denied = true;
  }
  risk_pending_ = risk::RiskEvent(event);
  return !denied;
}

void StateMachine::NoteRedPacketPayment(const payments::Payment& payment) {
  // Every payment asks: without a programme, one branch.
  if (!red_packets_.on()) return;
  red_packets_.EarnByPayment(payment.customer_id, payment.amount_fen,
                             batch_time_ns_ / kNsPerSecond);
}

}  // namespace qb::engine
