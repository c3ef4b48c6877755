#include "engine/reseal_command.h"

namespace qb::engine {

std::string_view ResealResultName(ResealResult result) {
  switch (result) {
    case ResealResult::kOk:
      return "ok";
    case ResealResult::kInvalid:
      return "invalid";
    case ResealResult::kNotFound:
      return "not_found";
    case ResealResult::kChanged:
      return "changed";
  }
  return "unknown";
}

bool IsValidReseal(const ResealSecrets& command, size_t max_field_bytes) {
  if (command.items.empty() || command.items.size() > kMaxResealsPerCommand) return false;
  for (const SealedValue& item : command.items) {
    const auto field = static_cast<uint8_t>(item.field);
    if (field == 0 || field > kMaxSealedField) return false;
    if (item.key_id.size() > max_field_bytes || item.expected.size() > max_field_bytes ||
        item.replacement.size() > max_field_bytes) {
      return false;
    }
  }
  return true;
}

void EncodeResealSecrets(const ResealSecrets& command, ByteWriter* writer) {
  writer->U32(static_cast<uint32_t>(command.items.size()));
  for (const SealedValue& item : command.items) {
    writer->U8(static_cast<uint8_t>(item.field));
    writer->U64(item.owner_id);
    writer->U64(item.item_id);
    writer->LengthPrefixed(item.key_id);
    writer->LengthPrefixed(item.expected);
    writer->LengthPrefixed(item.replacement);
  }
}

bool DecodeResealSecrets(ByteReader* reader, ResealSecrets* command) {
  const uint32_t count = reader->U32();
  if (count == 0 || count > kMaxResealsPerCommand) return false;
  command->items.clear();
  for (uint32_t i = 0; i < count && reader->ok(); i++) {
    SealedValue item;
    const uint8_t field = reader->U8();
    if (field == 0 || field > kMaxSealedField) return false;
    item.field = static_cast<SealedField>(field);
    item.owner_id = reader->U64();
    item.item_id = reader->U64();
    item.key_id = std::string(reader->LengthPrefixed());
    item.expected = std::string(reader->LengthPrefixed());
    item.replacement = std::string(reader->LengthPrefixed());
    command->items.push_back(std::move(item));
  }
  return reader->ok();
}

}  // namespace qb::engine
