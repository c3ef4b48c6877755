#include "engine/risk_command.h"

#include "engine/command.h"
#include "engine/risk_command_codec.h"

namespace qb::engine {
namespace {

void WriteThreshold(const std::optional<int64_t>& value, ByteWriter* writer) {
  writer->U8(value ? 1 : 0);
  if (value) writer->I64(*value);
}

bool ReadThreshold(ByteReader* reader, std::optional<int64_t>* value) {
  const uint8_t present = reader->U8();
  if (present > 1) return false;
  if (present == 1) *value = reader->I64();
  return true;
}

bool ReadBool(ByteReader* reader, bool* value) {
  const uint8_t byte = reader->U8();
  if (byte > 1) return false;
  *value = byte == 1;
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view ReviewLabelName(ReviewLabel label) {
  switch (label) {
    case ReviewLabel::kUnknown:
      return "unknown";
    case ReviewLabel::kLegit:
      return "legit";
    case ReviewLabel::kFraud:
      return "fraud";
  }
  return "unknown";
}

std::string_view RiskResultName(RiskResult result) {
  switch (result) {
    case RiskResult::kOk:
      return "ok";
    case RiskResult::kInvalid:
      return "invalid";
    case RiskResult::kStaffNotFound:
      return "staff_not_found";
    case RiskResult::kRulesInvalid:
      return "rules_invalid";
    case RiskResult::kListRefused:
      return "list_refused";
    case RiskResult::kNotListed:
      return "not_listed";
    case RiskResult::kReviewNotFound:
      return "review_not_found";
    case RiskResult::kReviewClosed:
      return "review_closed";
    case RiskResult::kPaymentFailed:
      return "payment_failed";
  }
  return "unknown";
}

uint64_t RiskDeviceId(std::string_view device_hash) {
  if (device_hash.size() < 16) return 0;
  uint64_t id = 0;
  for (size_t i = 0; i < 16; i++) {
    const int digit = HexValue(device_hash[i]);
    if (digit < 0) return 0;
    id = (id << 4) | static_cast<uint64_t>(digit);
  }
  return id;
}

void EncodeRuleSetSpec(const risk::RuleSetSpec& spec, ByteWriter* writer) {
  writer->U32(static_cast<uint32_t>(spec.rules.size()));
  for (const risk::RuleSpec& rule : spec.rules) {
    writer->U32(rule.id);
    writer->LengthPrefixed(rule.name);
    writer->LengthPrefixed(rule.expression);
    writer->U32(static_cast<uint32_t>(rule.score));
    writer->U8(static_cast<uint8_t>(rule.action));
    writer->U8(rule.shadow ? 1 : 0);
    writer->I64(rule.active_from_s);
    writer->I64(rule.active_until_s);
  }
  WriteThreshold(spec.thresholds.challenge_at, writer);
  WriteThreshold(spec.thresholds.review_at, writer);
  WriteThreshold(spec.thresholds.deny_at, writer);
}

bool DecodeRuleSetSpec(ByteReader* reader, risk::RuleSetSpec* spec) {
  const uint32_t count = reader->U32();
  // Every rule takes at least 34 bytes: a bad count fails here, not in an allocation.
  if (!reader->ok() || count > risk::RuleSet::kMaxRules || count > reader->remaining() / 34) {
    return false;
  }
  spec->rules.resize(count);
  for (risk::RuleSpec& rule : spec->rules) {
    rule.id = reader->U32();
    rule.name = std::string(reader->LengthPrefixed());
    rule.expression = std::string(reader->LengthPrefixed());
    rule.score = static_cast<int32_t>(reader->U32());
    const uint8_t action = reader->U8();
    if (action > static_cast<uint8_t>(risk::Action::kDenyReward)) return false;
    rule.action = static_cast<risk::Action>(action);
    if (!ReadBool(reader, &rule.shadow)) return false;
    rule.active_from_s = reader->I64();
    rule.active_until_s = reader->I64();
  }
  return ReadThreshold(reader, &spec->thresholds.challenge_at) &&
         ReadThreshold(reader, &spec->thresholds.review_at) &&
         ReadThreshold(reader, &spec->thresholds.deny_at) && reader->ok();
}

bool EncodeRiskCommand(const Command& command, ByteWriter* writer) {
  if (const auto* c = std::get_if<SetRiskRules>(&command)) {
    writer->U64(c->staff_id);
    writer->U8(c->shadow ? 1 : 0);
    EncodeRuleSetSpec(c->spec, writer);
  } else if (const auto* c = std::get_if<SetRiskListEntry>(&command)) {
    writer->U64(c->staff_id);
    writer->U8(static_cast<uint8_t>(c->kind));
    writer->U64(c->entity_id);
    writer->U8(static_cast<uint8_t>(c->list));
    writer->I64(c->expires_at_s);
    writer->LengthPrefixed(c->reason);
    writer->U8(c->remove ? 1 : 0);
  } else if (const auto* c = std::get_if<ReviewPayment>(&command)) {
    writer->U64(c->staff_id);
    writer->U64(c->payment_id);
    writer->U8(c->approve ? 1 : 0);
    writer->U8(static_cast<uint8_t>(c->label));
    writer->U8(c->block_device ? 1 : 0);
  } else {
    return false;
  }
  return true;
}

bool DecodeRiskCommand(CommandType type, ByteReader* reader, Command* command) {
  switch (type) {
    case CommandType::kSetRiskRules: {
      SetRiskRules c;
      c.staff_id = reader->U64();
      if (!ReadBool(reader, &c.shadow) || !DecodeRuleSetSpec(reader, &c.spec)) return false;
      *command = std::move(c);
      return true;
    }
    case CommandType::kSetRiskListEntry: {
      SetRiskListEntry c;
      c.staff_id = reader->U64();
      const uint8_t kind = reader->U8();
      c.entity_id = reader->U64();
      const uint8_t list = reader->U8();
      if (kind >= risk::kEntityKindCount || list >= risk::kListTypeCount) return false;
      c.kind = static_cast<risk::EntityKind>(kind);
      c.list = static_cast<risk::ListType>(list);
      c.expires_at_s = reader->I64();
      c.reason = std::string(reader->LengthPrefixed());
      if (!ReadBool(reader, &c.remove)) return false;
      *command = std::move(c);
      return true;
    }
    case CommandType::kReviewPayment: {
      ReviewPayment c;
      c.staff_id = reader->U64();
      c.payment_id = reader->U64();
      if (!ReadBool(reader, &c.approve)) return false;
      const uint8_t label = reader->U8();
      if (label > kMaxReviewLabel) return false;
      c.label = static_cast<ReviewLabel>(label);
      if (!ReadBool(reader, &c.block_device)) return false;
      *command = c;
      return true;
    }
    default:
      return false;
  }
}

}  // namespace qb::engine
