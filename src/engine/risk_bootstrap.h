// The risk engine's first configuration: qianbaod installs the default rule set
// (risk/default_rules.h) once, as a journaled SetRiskRules, so a replay reaches the same state.
#pragma once

#include "base/status.h"
#include "engine/engine.h"

namespace qb::engine {

// Submits SetRiskRules(DefaultRuleSet()) by the system (staff 0) when no rule set was ever
// installed (version 0); nothing otherwise. an error when the engine refuses it.
Status EnsureDefaultRiskRules(Engine& engine);

}  // namespace qb::engine
