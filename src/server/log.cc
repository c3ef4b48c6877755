#include "server/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace qb {
namespace {

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
        c == 0x7f) {
      return true;
    }
  }
  return false;
}

// Escapes so that one event is always one line, whatever the value holds.
void AppendQuoted(std::string& out, std::string_view value) {
  out += '"';
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\x%02x", static_cast<unsigned char>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void Log(spdlog::level::level_enum level, std::string_view message, LogFields fields) {
  if (!spdlog::should_log(level)) return;
  spdlog::log(level, "{}", FormatLogMessage(message, fields));
}

}  // namespace

std::string FormatLogMessage(std::string_view message, LogFields fields) {
  std::string out = "msg=";
  AppendQuoted(out, message);
  for (const auto& [key, value] : fields) {
    out += ' ';
    out += key;
    out += '=';
    if (NeedsQuotes(value)) {
      AppendQuoted(out, value);
    } else {
      out += value;
    }
  }
  return out;
}

std::string SetupLogging(std::string_view level) {
  spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  // from_str answers "off" for any name it does not know, so "off" must be asked for by name.
  if (parsed == spdlog::level::off && level != "off") {
    return "unknown log level \"" + std::string(level) + "\"";
  }
  auto logger = std::make_shared<spdlog::logger>("qianbao",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  logger->set_level(parsed);
  spdlog::set_default_logger(std::move(logger));
  return "";
}

void LogDebug(std::string_view message, LogFields fields) {
  Log(spdlog::level::debug, message, fields);
}
void LogInfo(std::string_view message, LogFields fields) {
  Log(spdlog::level::info, message, fields);
}
void LogWarn(std::string_view message, LogFields fields) {
  Log(spdlog::level::warn, message, fields);
}
void LogError(std::string_view message, LogFields fields) {
  Log(spdlog::level::err, message, fields);
}

}  // namespace qb
