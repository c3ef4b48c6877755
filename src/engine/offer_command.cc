// Encoding of commands 78 to 80; the grammar is in offer_command.h.
#include "engine/offer_command.h"

#include <utility>

#include "engine/offer_command_codec.h"

namespace qb::engine {

bool EncodeOfferCommand(const Command& command, ByteWriter* writer) {
  if (const auto* c = std::get_if<PushOffer>(&command)) {
    writer->U64(c->staff_id);
    writer->U64(c->push_id);
    writer->U64(c->campaign_id);
    writer->LengthPrefixed(c->title);
    writer->LengthPrefixed(c->body);
    writer->LengthPrefixed(c->audience);
    writer->U32(static_cast<uint32_t>(c->customers.size()));
    for (const uint64_t customer_id : c->customers) writer->U64(customer_id);
  } else if (const auto* c = std::get_if<ReadMessages>(&command)) {
    writer->U64(c->customer_id);
    writer->U64(c->push_id);
  } else if (const auto* c = std::get_if<SetOfferPreference>(&command)) {
    writer->U64(c->customer_id);
    writer->U8(c->personalised ? 1 : 0);
  } else {
    return false;
  }
  return true;
}

bool DecodeOfferCommand(CommandType type, ByteReader* reader, Command* command) {
  if (type == CommandType::kPushOffer) {
    PushOffer c;
    c.staff_id = reader->U64();
    c.push_id = reader->U64();
    c.campaign_id = reader->U64();
    c.title = std::string(reader->LengthPrefixed());
    c.body = std::string(reader->LengthPrefixed());
    c.audience = std::string(reader->LengthPrefixed());
    const uint32_t count = reader->U32();
    if (!reader->ok() || count > kMaxOfferPushCustomers || count > reader->remaining() / 8) {
      return false;
    }
    c.customers.resize(count);
    for (uint64_t& customer_id : c.customers) customer_id = reader->U64();
    *command = std::move(c);
    return reader->ok();
  }
  if (type == CommandType::kReadMessages) {
    ReadMessages c;
    c.customer_id = reader->U64();
    c.push_id = reader->U64();
    *command = c;
    return reader->ok();
  }
  if (type == CommandType::kSetOfferPreference) {
    SetOfferPreference c;
    c.customer_id = reader->U64();
    const uint8_t personalised = reader->U8();
    c.personalised = personalised == 1;
    *command = c;
    return reader->ok() && personalised <= 1;
  }
  return false;
}

}  // namespace qb::engine
