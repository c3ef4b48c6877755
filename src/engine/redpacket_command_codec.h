// The journal codec's part for commands 73 to 75 (grammar in engine/redpacket_command.h).
// Used only by command_codec.cc.
#pragma once

#include "base/bytes.h"
#include "engine/command.h"

namespace qb::engine {

// Appends the body of a red-packet command; false (nothing written) for any other command.
bool EncodeRedPacketCommand(const Command& command, ByteWriter* writer);
// Decodes the body of red-packet command `type`; false when it is malformed. The caller checks
// that the reader is then exhausted.
bool DecodeRedPacketCommand(CommandType type, ByteReader* reader, Command* command);

}  // namespace qb::engine
