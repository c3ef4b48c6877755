#include "server/log.h"

#include <gtest/gtest.h>

namespace qb {
namespace {

TEST(LogTest, FormatsMessageAndPlainFields) {
  EXPECT_EQ(FormatLogMessage("listening", {{"address", "127.0.0.1"}, {"port", "8080"}}),
            "msg=\"listening\" address=127.0.0.1 port=8080");
}

TEST(LogTest, QuotesAndEscapesValuesThatNeedIt) {
  EXPECT_EQ(FormatLogMessage("a \"b\"", {{"error", "two words"}, {"empty", ""}}),
            "msg=\"a \\\"b\\\"\" error=\"two words\" empty=\"\"");
  EXPECT_EQ(FormatLogMessage("m", {{"v", "line\nbreak=\x01"}}),
            "msg=\"m\" v=\"line\\nbreak=\\x01\"");
}

TEST(LogTest, RejectsUnknownLevel) {
  EXPECT_NE(SetupLogging("loud"), "");
  EXPECT_EQ(SetupLogging("off"), "");
  EXPECT_EQ(SetupLogging("warn"), "");
}

}  // namespace
}  // namespace qb
