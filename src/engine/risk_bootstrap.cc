#include "engine/risk_bootstrap.h"

#include <string>

#include "risk/default_rules.h"

namespace qb::engine {

Status EnsureDefaultRiskRules(Engine& engine) {
  uint64_t version = 0;
  const Reply read = engine.Execute(
      Query{[&version](const StateMachine& state) { version = state.risk().version(); }});
  if (read.status != ReplyStatus::kOk) {
    return Status::IoError("reading the risk rules: " + std::string(ReplyStatusName(read.status)));
  }
  // A rule set installed before (by this or an analyst) is kept across restarts.
  if (version != 0) return Status::Ok();
  const Reply reply = engine.Execute(SetRiskRules{0, false, risk::DefaultRuleSet()});
  if (reply.status != ReplyStatus::kOk || reply.results.empty() ||
      reply.results[0] != static_cast<uint8_t>(RiskResult::kOk)) {
    return Status::IoError("installing the default risk rules failed: " + reply.text);
  }
  return Status::Ok();
}

}  // namespace qb::engine
