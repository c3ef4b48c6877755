// The journal codec's part for commands 55 to 61 (grammar in engine/marketing_command.h),
// split from command_codec.cc to keep that file readable. Used only by it.
#pragma once

#include "base/bytes.h"
#include "engine/command.h"

namespace qb::engine {

// Appends the body of a marketing command; false (nothing written) for any other command.
bool EncodeMarketingCommand(const Command& command, ByteWriter* writer);
// Decodes the body of marketing command `type`; false when it is malformed. The caller checks
// that the reader is then exhausted.
bool DecodeMarketingCommand(CommandType type, ByteReader* reader, Command* command);

}  // namespace qb::engine
