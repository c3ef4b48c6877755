// RiskTap: lets a tool watch the risk engine inside a StateMachine (StateMachine::SetRiskTap).
// `qianbao risk backtest` (engine/risk_backtest.h) replays the journal with a tap that feeds a
// second RiskEngine holding candidate rules, so that engine sees exactly the events, outcomes
// and list changes the live one saw.
//
// The tap only observes: it is called after the state changed, gets const views, and nothing
// it does reaches the state or the state hash. The server never sets one (nullptr by default).
// Calls come on the thread applying commands, in journal order.
#pragma once

#include <cstdint>
#include <string_view>

#include "risk/lists.h"
#include "risk/risk_events.h"
#include "risk/rule_set.h"

namespace qb::engine {

// A change the engine made to the block/allow lists (a SetRiskListEntry that succeeded, or a
// review's block_device), to apply to another RiskEngine's lists the same way.
struct RiskListChange {
  bool remove = false;
  risk::ListType list = risk::ListType::kBlock;
  risk::EntityKind kind = risk::EntityKind::kDevice;
  uint64_t key = 0;
  int64_t now_s = 0;
  int64_t expires_at_s = 0;
  std::string_view reason;
};

class RiskTap {
 public:
  virtual ~RiskTap() = default;
  // The live engine evaluated `event` at `now_s` in the command just applied. `subject_id` is
  // the payment or transfer id (0 for other events); `live` is the active rule set's decision
  // (verdict allow, nothing fired, while no rule set is installed): what the rules said, before
  // a block-list entry or a full review queue turned it into a deny.
  virtual void OnEvaluate(const risk::RiskEvent& event, int64_t now_s, uint64_t subject_id,
                          const risk::Decision& live) = 0;
  // The live engine recorded `event` at `now_s` with `outcome`: right after OnEvaluate for most
  // events; for a top-up or withdrawal held for the bank, only when the bank answers (and then
  // without an OnEvaluate: it was evaluated when it was held).
  virtual void OnRecord(const risk::RiskEvent& event, int64_t now_s, risk::Outcome outcome) = 0;
  virtual void OnListChange(const RiskListChange& change) = 0;
};

}  // namespace qb::engine
