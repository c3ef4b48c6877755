// Encoding of commands 73 to 75; the grammar is in redpacket_command.h.
#include "engine/redpacket_command.h"

#include <utility>

#include "engine/redpacket_command_codec.h"

namespace qb::engine {

bool EncodeRedPacketCommand(const Command& command, ByteWriter* writer) {
  if (const auto* c = std::get_if<SetRedPackets>(&command)) {
    writer->U64(c->staff_id);
    redpacket::EncodeConfig(c->config, writer);
  } else if (const auto* c = std::get_if<SendRedPacket>(&command)) {
    writer->U64(c->customer_id);
    writer->U64(c->packet_id);
    writer->LengthPrefixed(c->nonce);
  } else if (const auto* c = std::get_if<ClaimRedPacket>(&command)) {
    writer->U64(c->customer_id);
    writer->U64(c->packet_id);
    writer->LengthPrefixed(c->device_hash);
  } else {
    return false;
  }
  return true;
}

bool DecodeRedPacketCommand(CommandType type, ByteReader* reader, Command* command) {
  switch (type) {
    case CommandType::kSetRedPackets: {
      SetRedPackets c;
      c.staff_id = reader->U64();
      if (!redpacket::DecodeConfig(reader, &c.config)) return false;
      *command = std::move(c);
      return true;
    }
    case CommandType::kSendRedPacket: {
      SendRedPacket c;
      c.customer_id = reader->U64();
      c.packet_id = reader->U64();
      c.nonce = std::string(reader->LengthPrefixed());
      *command = std::move(c);
      return reader->ok();
    }
    case CommandType::kClaimRedPacket: {
      ClaimRedPacket c;
      c.customer_id = reader->U64();
      c.packet_id = reader->U64();
      c.device_hash = std::string(reader->LengthPrefixed());
      *command = std::move(c);
      return reader->ok();
    }
    default:
      return false;
  }
}

}  // namespace qb::engine
