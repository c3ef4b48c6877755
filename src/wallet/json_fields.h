// Reading the nested JSON bodies of the marketing and points API (marketing_json.cc,
// points_json.cc) with Boost.JSON, after the strict parser's checks: a member reader that names
// the first bad field and refuses unknown ones. Private to the wallet module.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "wallet/handler_util.h"
#include "wallet/marketing_json.h"

namespace qb::wallet {

// Reads the members of one JSON object by name and remembers which were read, so that Finish
// can refuse the first one nobody asked for. The first error wins; `path` prefixes field names
// in messages ("caps.").
class Fields {
 public:
  Fields(const boost::json::object& object, std::string path, std::optional<api::ApiError>* error)
      : object_(object), path_(std::move(path)), error_(error) {}

  // The member, or null when absent or JSON null (FIELD_REQUIRED when `required`).
  const boost::json::value* Get(std::string_view name, bool required) {
    read_.emplace_back(name);
    const boost::json::value* value = object_.if_contains(name);
    if (value != nullptr && value->is_null()) value = nullptr;
    if (value == nullptr && required) Fail(api::ErrorCode::kFieldRequired, name, "required");
    return value;
  }

  std::optional<int64_t> Int(std::string_view name, bool required, int64_t min, int64_t max) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    std::optional<int64_t> number;
    if (value->is_int64()) number = value->as_int64();
    if (value->is_uint64() &&
        value->as_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      number = static_cast<int64_t>(value->as_uint64());
    }
    if (!number || *number < min || *number > max) {
      Fail(api::ErrorCode::kFieldInvalid, name,
           "an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return number;
  }

  std::optional<std::string> String(std::string_view name, bool required, size_t max_chars) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
      Fail(api::ErrorCode::kFieldInvalid, name, "a string");
      return std::nullopt;
    }
    const boost::json::string& text = value->as_string();
    size_t chars = 0;
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F) {
        Fail(api::ErrorCode::kFieldInvalid, name, "no control characters");
        return std::nullopt;
      }
      if ((byte & 0xC0) != 0x80) ++chars;
    }
    if (chars > max_chars) {
      Fail(api::ErrorCode::kFieldInvalid, name,
           "at most " + std::to_string(max_chars) + " characters");
      return std::nullopt;
    }
    return std::string(text);
  }

  // One of `allowed`: its index.
  std::optional<size_t> Enum(std::string_view name, bool required,
                             std::initializer_list<std::string_view> allowed) {
    return Enum(name, required, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  std::optional<size_t> Enum(std::string_view name, bool required,
                             std::span<const std::string_view> allowed) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    if (value->is_string()) {
      size_t index = 0;
      for (const std::string_view option : allowed) {
        if (value->as_string() == option) return index;
        ++index;
      }
    }
    std::string why = "one of";
    for (const std::string_view option : allowed) {
      why += ' ';
      why.append(option);
    }
    Fail(api::ErrorCode::kFieldInvalid, name, why);
    return std::nullopt;
  }

  std::optional<int64_t> Time(std::string_view name, bool required) {
    std::optional<std::string> text = String(name, required, 64);
    if (!text) return std::nullopt;
    std::optional<int64_t> seconds = ParseRfc3339Seconds(*text);
    if (!seconds) Fail(api::ErrorCode::kFieldInvalid, name, "an RFC 3339 time");
    return seconds;
  }

  std::optional<uint64_t> Id(std::string_view name, bool required) {
    std::optional<std::string> text = String(name, required, 20);
    if (!text) return std::nullopt;
    std::optional<uint64_t> id = ParseId(*text);
    if (!id || *id == 0) Fail(api::ErrorCode::kFieldInvalid, name, "a decimal id string");
    return id;
  }

  const boost::json::object* Object(std::string_view name, bool required) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return nullptr;
    if (!value->is_object()) {
      Fail(api::ErrorCode::kFieldInvalid, name, "an object");
      return nullptr;
    }
    return &value->as_object();
  }

  const boost::json::array* Array(std::string_view name, bool required, size_t max_size) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return nullptr;
    if (!value->is_array() || value->as_array().size() > max_size) {
      Fail(api::ErrorCode::kFieldInvalid, name, "a list of at most " + std::to_string(max_size));
      return nullptr;
    }
    return &value->as_array();
  }

  std::optional<bool> Bool(std::string_view name, bool required) {
    const boost::json::value* value = Get(name, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_bool()) {
      Fail(api::ErrorCode::kFieldInvalid, name, "true or false");
      return std::nullopt;
    }
    return value->as_bool();
  }

  void Fail(api::ErrorCode code, std::string_view name, std::string_view why) {
    if (*error_) return;
    *error_ = api::MakeError(code, path_ + std::string(name) + ": " + std::string(why));
  }

  // UNKNOWN_FIELD for the first member nobody read.
  void Finish() {
    for (const auto& member : object_) {
      bool known = false;
      for (const std::string& name : read_) known |= member.key() == name;
      if (!known) {
        Fail(api::ErrorCode::kUnknownField, member.key(), "unknown field");
        return;
      }
    }
  }

 private:
  const boost::json::object& object_;
  std::string path_;
  std::optional<api::ApiError>* error_;
  std::vector<std::string> read_;
};

// The body as one JSON object: the strict parser's checks (duplicate keys, UTF-8, limits; up to
// kMarketingMaxFields members) and then Boost.JSON's tree, which the nested inputs need.
api::ApiResult<boost::json::object> ParseRoot(std::string_view body);

}  // namespace qb::wallet
