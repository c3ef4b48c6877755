// Strict decoding of JSON request bodies.
//
// ParseJsonObject turns a body into a JsonObject within ParseLimits, or into MALFORMED_JSON /
// PAYLOAD_TOO_LARGE. An ObjectReader then pulls typed fields out of it and remembers which it
// read, so Finish() can reject the first field nobody asked for (UNKNOWN_FIELD). The first
// error wins; later calls return defaults and leave it in place:
//
//   ObjectReader reader(object.value());
//   std::string to = reader.RequiredString("to", 64);
//   int64_t amount = reader.RequiredAmount("amount");
//   if (auto error = reader.Finish()) return ErrorResponse(*error);
//
// Rules every reader applies:
// - Integers are JSON integers only: 1.0, 1e3, "1" and true are FIELD_INVALID, as is any
//   integer outside int64 (or outside the bounds asked for).
// - Strings are valid UTF-8 (the parser rejects invalid bytes and lone surrogate escapes) and
//   hold no control characters: C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F); kMultiLine
//   strings may also hold \n and \t.
// - String limits passed to readers count Unicode code points, so a 32-character limit means
//   32 Chinese characters too; ParseLimits::max_string_bytes caps every string's bytes.
// - null for an Optional* field means absent; null for a Required* field is FIELD_REQUIRED.
// - A key given twice in one object is MALFORMED_JSON: parsers disagree on which one wins,
//   and a proxy or signature check must not see a different body than the handler.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"

namespace boost::json {
class value;
}

namespace qb::api {

// Minor units: 10^13 fen is 100 billion yuan, far above any single movement of money.
inline constexpr int64_t kMaxAmountMinorUnits = 10'000'000'000'000;

struct ParseLimits {
  uint64_t max_body_bytes = 65536;
  uint32_t max_depth = 16;           // Nesting of objects and arrays; the root counts as 1.
  uint32_t max_string_bytes = 4096;  // Every string and key, in bytes.
  uint32_t max_fields = 256;         // Object members plus array elements, across the body.
};

// A parsed JSON object. Owns its data; move-only. Boost.JSON stays inside the .cc files.
class JsonObject {
 public:
  struct Impl;
  explicit JsonObject(std::unique_ptr<Impl> impl);
  ~JsonObject();
  JsonObject(JsonObject&&) noexcept;
  JsonObject& operator=(JsonObject&&) noexcept;

  size_t size() const;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Parses body, which must be one JSON object and nothing else (whitespace aside). Errors:
// PAYLOAD_TOO_LARGE (over max_body_bytes) and MALFORMED_JSON (syntax, trailing data, invalid
// UTF-8, a duplicate key, a root that is not an object, or any other limit), with the line and
// column when the parser stopped inside the text.
ApiResult<JsonObject> ParseJsonObject(std::string_view body, const ParseLimits& limits = {});

enum class TextPolicy : uint8_t {
  kSingleLine,  // No control characters at all.
  kMultiLine,   // \n and \t allowed (notes, addresses).
};

class ObjectReader {
 public:
  // The object must outlive the reader.
  explicit ObjectReader(const JsonObject& object);

  // Non-empty unless min_length is 0; at most max_length code points.
  std::string RequiredString(std::string_view name, size_t max_length,
                             TextPolicy policy = TextPolicy::kSingleLine, size_t min_length = 1);
  std::optional<std::string> OptionalString(std::string_view name, size_t max_length,
                                            TextPolicy policy = TextPolicy::kSingleLine,
                                            size_t min_length = 1);
  // A JSON integer in [min, max].
  int64_t RequiredInt64(std::string_view name, int64_t min, int64_t max);
  std::optional<int64_t> OptionalInt64(std::string_view name, int64_t min, int64_t max);
  // An amount in minor units: a JSON integer in [1, max_minor_units].
  int64_t RequiredAmount(std::string_view name, int64_t max_minor_units = kMaxAmountMinorUnits);
  // One of allowed, returned as given.
  std::string RequiredEnum(std::string_view name, std::initializer_list<std::string_view> allowed);
  bool RequiredBool(std::string_view name);
  std::optional<bool> OptionalBool(std::string_view name);
  // A nested object, copied, or nullopt when absent or null (FIELD_INVALID when it is not an
  // object). Read it with another ObjectReader and hand that reader's Finish() error to Adopt.
  std::optional<JsonObject> OptionalObject(std::string_view name);
  // Records `error` as this reader's error unless it has one already.
  void Adopt(ApiError error);

  // The first error so far, if any.
  const std::optional<ApiError>& error() const { return error_; }

  // The first error, or UNKNOWN_FIELD naming the first member (in body order) no reader asked
  // for; nullopt when the body was fine.
  std::optional<ApiError> Finish();

 private:
  enum class Lookup : uint8_t { kFound, kAbsent, kSkip };
  // Marks name as read; kSkip when an earlier error means nothing more is read.
  Lookup Find(std::string_view name, const boost::json::value** value);
  void Fail(ErrorCode code, std::string_view name, std::string_view why);
  std::optional<std::string> ReadString(std::string_view name, bool required, size_t max_length,
                                        TextPolicy policy, size_t min_length);
  std::optional<int64_t> ReadInt64(std::string_view name, bool required, int64_t min, int64_t max);
  std::optional<bool> ReadBool(std::string_view name, bool required);

  const JsonObject& object_;
  std::vector<std::string> read_names_;
  std::optional<ApiError> error_;
};

}  // namespace qb::api
