// Structured logging on top of spdlog. Every line reads
//
//   ts=2024-05-01T08:30:00.123Z level=info msg="listening" address=127.0.0.1 port=8080
//
// that is logfmt: the time in UTC with milliseconds, the level, the message, then key=value
// fields, a value quoted when it holds a space, quote, '=' or control character. Log through
// the functions below rather than spdlog directly so that every line keeps this shape.
//
// Never log secrets: passwords, PINs, OTP codes, session tokens, card numbers, keys, or
// connection strings that can carry a password.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace qb {

using LogFields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Sends the default spdlog logger to stderr in the format above, at the given level (trace,
// debug, info, warn, error, critical or off). Returns an error for an unknown level. Call once
// at start-up, before other threads log.
std::string SetupLogging(std::string_view level);

void LogDebug(std::string_view message, LogFields fields = {});
void LogInfo(std::string_view message, LogFields fields = {});
void LogWarn(std::string_view message, LogFields fields = {});
void LogError(std::string_view message, LogFields fields = {});

// The part of a line after the level: msg="..." and the fields. Exposed for tests.
std::string FormatLogMessage(std::string_view message, LogFields fields);

}  // namespace qb
