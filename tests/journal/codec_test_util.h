// Helpers shared by the command codec tests: a command through EncodeCommand and back, and a
// command body written by hand.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "engine/command_codec.h"

namespace qb::engine::testing {

// `command` encoded and decoded again (expects exactly one command back).
inline Command Decoded(const Command& command) {
  std::string payload;
  EncodeCommand(command, &payload);
  std::vector<Command> decoded;
  EXPECT_TRUE(DecodeCommands(payload, 1, &decoded));
  EXPECT_EQ(decoded.size(), 1u);
  return decoded.empty() ? Command{} : decoded[0];
}

// A body written by hand: type, body length, then the body bytes.
inline std::string RawCommand(uint16_t type, std::string_view body) {
  std::string out;
  ByteWriter writer(&out);
  writer.U16(type);
  writer.LengthPrefixed(body);
  return out;
}

}  // namespace qb::engine::testing
