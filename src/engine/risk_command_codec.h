// The journal codec's part for commands 62 to 64 (grammar in engine/risk_command.h), split from
// command_codec.cc like the marketing one. Used only by it.
#pragma once

#include "base/bytes.h"
#include "engine/command.h"

namespace qb::engine {

// Appends the body of a risk command; false (nothing written) for any other command.
bool EncodeRiskCommand(const Command& command, ByteWriter* writer);
// Decodes the body of risk command `type`; false when it is malformed. The caller checks that
// the reader is then exhausted.
bool DecodeRiskCommand(CommandType type, ByteReader* reader, Command* command);

}  // namespace qb::engine
