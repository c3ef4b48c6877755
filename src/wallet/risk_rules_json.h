// The JSON of a risk rule set, as PUT /api/v1/staff/risk/rules takes it (wallet/risk_routes.cc)
// and `qianbao risk backtest --rules FILE.json` reads it:
//
//   {"shadow", "version" (ignored: the engine numbers sets), "review_at", "challenge_at",
//    "deny_at", "rules": [{"id", "name", "expression", "score", "action", "shadow",
//    "active_from", "active_until"}]}
#pragma once

#include <string_view>
#include <utility>

#include "api/errors.h"
#include "risk/rule_set.h"

namespace qb::wallet {

// The spec and the "shadow" flag; the first problem (field path and why) otherwise. Whether the
// rules compile is the engine's to say.
api::ApiResult<std::pair<risk::RuleSetSpec, bool>> ParseRuleSet(std::string_view text);

}  // namespace qb::wallet
