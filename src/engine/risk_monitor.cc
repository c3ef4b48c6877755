#include "engine/risk_monitor.h"

#include <limits>
#include <utility>
#include <variant>

namespace qb::engine {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

void Bump(uint64_t* counter) {
  if (*counter != kU64Max) ++*counter;
}

void Count(const risk::Decision& decision, RiskSetStats* stats) {
  Bump(&stats->evaluated);
  Bump(&stats->verdicts[static_cast<size_t>(decision.verdict)]);
  for (const risk::FiredRule& fired : decision.fired) {
    if (fired.rule_index < stats->hits.size()) Bump(&stats->hits[fired.rule_index]);
  }
}

void WriteSet(const RiskSetStats& stats, ByteWriter* writer) {
  writer->U64(stats.evaluated);
  for (uint64_t count : stats.verdicts) writer->U64(count);
  writer->U32(static_cast<uint32_t>(stats.hits.size()));
  for (uint64_t hits : stats.hits) writer->U64(hits);
}

bool ReadSet(ByteReader* reader, size_t rules, RiskSetStats* stats) {
  stats->evaluated = reader->U64();
  for (uint64_t& count : stats->verdicts) count = reader->U64();
  const uint32_t count = reader->U32();
  if (!reader->ok() || count != rules) return false;
  stats->hits.assign(count, 0);
  for (uint64_t& hits : stats->hits) hits = reader->U64();
  return reader->ok();
}

bool IsVerdict(uint8_t value) { return value <= static_cast<uint8_t>(risk::Verdict::kDeny); }

}  // namespace

uint64_t RiskEventCustomer(const risk::RiskEvent& event) {
  return std::visit([](const auto& e) -> uint64_t { return e.customer; }, event);
}

int64_t RiskEventAmount(const risk::RiskEvent& event) {
  return std::visit(
      [](const auto& e) -> int64_t {
        if constexpr (requires { e.amount_fen; }) {
          return e.amount_fen;
        } else {
          return 0;
        }
      },
      event);
}

void RiskMonitor::ResetActive(size_t rules) {
  active_ = RiskSetStats{{}, {}, std::vector<uint64_t>(rules, 0)};
}

void RiskMonitor::ResetShadow(size_t rules) {
  shadow_ = RiskSetStats{{}, {}, std::vector<uint64_t>(rules, 0)};
  log_.clear();
}

void RiskMonitor::RemoveShadow() { ResetShadow(0); }

void RiskMonitor::Note(const risk::RiskEvent& event, int64_t now_s, uint64_t subject_id,
                       bool has_active, const risk::Decision& active,
                       const risk::Decision* shadow) {
  if (has_active) Count(active, &active_);
  if (shadow == nullptr) return;
  Count(*shadow, &shadow_);
  const risk::Verdict active_verdict = has_active ? active.verdict : risk::Verdict::kAllow;
  if (shadow->verdict == active_verdict) return;
  ShadowLogEntry entry;
  entry.seq = ++next_seq_;
  entry.at_s = now_s;
  entry.event = static_cast<uint8_t>(event.index());
  entry.subject_id = subject_id;
  entry.customer_id = RiskEventCustomer(event);
  entry.amount_fen = RiskEventAmount(event);
  entry.active = active_verdict;
  entry.shadow = shadow->verdict;
  entry.shadow_version = shadow->rule_set_version;
  for (const risk::FiredRule& fired : shadow->fired) entry.rule_ids.push_back(fired.rule_id);
  log_.push_back(std::move(entry));
  if (log_.size() > kMaxShadowLog) log_.pop_front();
}

bool RiskMonitor::Empty() const {
  auto zero = [](const RiskSetStats& s) {
    if (s.evaluated != 0) return false;
    for (uint64_t v : s.verdicts) {
      if (v != 0) return false;
    }
    for (uint64_t v : s.hits) {
      if (v != 0) return false;
    }
    return true;
  };
  return zero(active_) && zero(shadow_) && log_.empty() && next_seq_ == 0;
}

void RiskMonitor::Serialize(ByteWriter* writer) const {
  WriteSet(active_, writer);
  WriteSet(shadow_, writer);
  writer->U64(next_seq_);
  writer->U32(static_cast<uint32_t>(log_.size()));
  for (const ShadowLogEntry& e : log_) {
    writer->U64(e.seq);
    writer->I64(e.at_s);
    writer->U8(e.event);
    writer->U64(e.subject_id);
    writer->U64(e.customer_id);
    writer->I64(e.amount_fen);
    writer->U8(static_cast<uint8_t>(e.active));
    writer->U8(static_cast<uint8_t>(e.shadow));
    writer->U64(e.shadow_version);
    writer->U32(static_cast<uint32_t>(e.rule_ids.size()));
    for (uint32_t id : e.rule_ids) writer->U32(id);
  }
}

bool RiskMonitor::Deserialize(ByteReader* reader, size_t active_rules, size_t shadow_rules) {
  RiskMonitor decoded;
  if (!ReadSet(reader, active_rules, &decoded.active_) ||
      !ReadSet(reader, shadow_rules, &decoded.shadow_)) {
    return false;
  }
  decoded.next_seq_ = reader->U64();
  const uint32_t count = reader->U32();
  if (!reader->ok() || count > kMaxShadowLog) return false;
  uint64_t previous = 0;
  for (uint32_t i = 0; i < count; i++) {
    ShadowLogEntry e;
    e.seq = reader->U64();
    e.at_s = reader->I64();
    e.event = reader->U8();
    e.subject_id = reader->U64();
    e.customer_id = reader->U64();
    e.amount_fen = reader->I64();
    const uint8_t active = reader->U8();
    const uint8_t shadow = reader->U8();
    e.shadow_version = reader->U64();
    const uint32_t rules = reader->U32();
    if (!reader->ok() || rules > risk::RuleSet::kMaxRules || !IsVerdict(active) ||
        !IsVerdict(shadow) || e.event >= std::variant_size_v<risk::RiskEvent> ||
        e.seq <= previous || e.seq > decoded.next_seq_) {
      return false;
    }
    e.active = static_cast<risk::Verdict>(active);
    e.shadow = static_cast<risk::Verdict>(shadow);
    for (uint32_t j = 0; j < rules; j++) e.rule_ids.push_back(reader->U32());
    if (!reader->ok()) return false;
    previous = e.seq;
    decoded.log_.push_back(std::move(e));
  }
  // One encoding per state: an all-zero monitor is left out, never written.
  if (decoded.Empty()) return false;
  *this = std::move(decoded);
  return true;
}

}  // namespace qb::engine
