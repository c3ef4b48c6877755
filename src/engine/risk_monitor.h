// RiskMonitor: how the installed rule sets are doing on live traffic, kept in the engine state
// (RiskState owns it; engine/state_machine_risk.cc feeds it once per event a command
// evaluated, after the command).
//
//   - per rule set (active and shadow): events evaluated, verdict counts, and per rule the
//     events it fired on (rules flagged shadow inside a set included);
//   - the shadow log: the last kMaxShadowLog events on which the shadow set's verdict differed
//     from the active set's (allow when no active set is installed), oldest first, each with a
//     sequence number that never repeats (the API's pagination cursor).
//
// A set's counters are reset when a new version of that set is installed (the shadow's also
// when the shadow is removed); the shadow log is reset with the shadow set. Deterministic: the
// counters are a function of the commands applied, so a checkpoint restore equals a replay.
//
// Counters saturate at UINT64_MAX rather than wrap.
//
// Encoding (the optional tail of RiskState's trailer, written only when some counter, the log
// or the sequence is not zero, so a state from before the monitor re-encodes to its old bytes):
//
//   monitor  := set(active) set(shadow) next_seq:u64 log_count:u32 entry*
//   set      := evaluated:u64 verdicts:u64{4} (allow, challenge, review, deny)
//               rule_count:u32 hits:u64{rule_count}          (the installed spec's rule order)
//   entry    := seq:u64 at_s:i64 event:u8 subject_id:u64 customer_id:u64 amount_fen:i64
//               active:u8 shadow:u8 shadow_version:u64 rule_count:u32 rule_id:u32{rule_count}
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "base/bytes.h"
#include "risk/risk_events.h"
#include "risk/rule_set.h"

namespace qb::engine {

struct RiskSetStats {
  uint64_t evaluated = 0;
  std::array<uint64_t, 4> verdicts{};  // By risk::Verdict.
  std::vector<uint64_t> hits;          // Per rule of the installed spec, in its order.
  bool operator==(const RiskSetStats&) const = default;
};

struct ShadowLogEntry {
  uint64_t seq = 0;
  int64_t at_s = 0;
  uint8_t event = 0;        // Index into risk::kEventNames.
  uint64_t subject_id = 0;  // Payment or transfer id; 0 for other events.
  uint64_t customer_id = 0;
  int64_t amount_fen = 0;  // 0 for events without an amount.
  risk::Verdict active = risk::Verdict::kAllow;
  risk::Verdict shadow = risk::Verdict::kAllow;
  uint64_t shadow_version = 0;
  std::vector<uint32_t> rule_ids;  // The shadow set's fired rules.
  bool operator==(const ShadowLogEntry&) const = default;
};

class RiskMonitor {
 public:
  static constexpr size_t kMaxShadowLog = 1'000;

  // A new version of the set with `rules` rules was installed: its counters start at zero.
  void ResetActive(size_t rules);
  void ResetShadow(size_t rules);  // The log too.
  void RemoveShadow();             // No shadow set any more.

  // One evaluated event. `active` is the active set's decision (allow while none is
  // installed: counted only when `has_active`); `shadow` is null while no shadow set is.
  void Note(const risk::RiskEvent& event, int64_t now_s, uint64_t subject_id, bool has_active,
            const risk::Decision& active, const risk::Decision* shadow);

  const RiskSetStats& active() const { return active_; }
  const RiskSetStats& shadow() const { return shadow_; }
  const std::deque<ShadowLogEntry>& log() const { return log_; }
  uint64_t next_seq() const { return next_seq_; }

  // True when there is nothing to encode (see the header comment).
  bool Empty() const;
  void Serialize(ByteWriter* writer) const;
  // Reads what Serialize wrote; the rule counts must be those of the installed specs (`active_
  // rules`, `shadow_rules`; 0 for a set not installed). False on malformed input.
  bool Deserialize(ByteReader* reader, size_t active_rules, size_t shadow_rules);

  bool operator==(const RiskMonitor&) const = default;

 private:
  RiskSetStats active_;
  RiskSetStats shadow_;
  std::deque<ShadowLogEntry> log_;
  uint64_t next_seq_ = 0;
};

// The customer and amount (0 when the event has none) of any risk event.
uint64_t RiskEventCustomer(const risk::RiskEvent& event);
int64_t RiskEventAmount(const risk::RiskEvent& event);

}  // namespace qb::engine
