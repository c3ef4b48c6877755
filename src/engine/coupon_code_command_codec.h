// The journal codec's part for commands 76 and 77 (grammar in engine/coupon_code_command.h).
// Used only by command_codec.cc.
#pragma once

#include "base/bytes.h"
#include "engine/command.h"

namespace qb::engine {

// Appends the body of a redeem-code command; false (nothing written) for any other command.
bool EncodeCouponCodeCommand(const Command& command, ByteWriter* writer);
// Decodes the body of command `type`; false when it is malformed. The caller checks that the
// reader is then exhausted.
bool DecodeCouponCodeCommand(CommandType type, ByteReader* reader, Command* command);

}  // namespace qb::engine
