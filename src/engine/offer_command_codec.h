// The journal codec's part for commands 78 to 80 (grammar in engine/offer_command.h). Used only
// by command_codec.cc.
#pragma once

#include "base/bytes.h"
#include "engine/command.h"

namespace qb::engine {

// Appends the body of an offer command; false (nothing written) for any other command.
bool EncodeOfferCommand(const Command& command, ByteWriter* writer);
// Decodes the body of command `type`; false when it is malformed. The caller checks that the
// reader is then exhausted.
bool DecodeOfferCommand(CommandType type, ByteReader* reader, Command* command);

}  // namespace qb::engine
