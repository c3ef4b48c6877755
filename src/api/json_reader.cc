#include "api/json_reader.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <limits>

namespace qb::api {

struct JsonObject::Impl {
  boost::json::object object;
};

JsonObject::JsonObject(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonObject::~JsonObject() = default;
JsonObject::JsonObject(JsonObject&&) noexcept = default;
JsonObject& JsonObject::operator=(JsonObject&&) noexcept = default;
size_t JsonObject::size() const { return impl_->object.size(); }

namespace {

ApiError Malformed(std::string_view body, size_t position, std::string_view why) {
  // The position is where the parser stopped, so the hint points at or just after the fault.
  position = std::min(position, body.size());
  size_t line = 1 + static_cast<size_t>(std::count(body.begin(), body.begin() + position, '\n'));
  size_t line_start = body.rfind('\n', position == 0 ? 0 : position - 1);
  size_t column =
      line_start == std::string_view::npos || position == 0 ? position + 1 : position - line_start;
  return MakeError(ErrorCode::kMalformedJson, "malformed JSON at line " + std::to_string(line) +
                                                  ", column " + std::to_string(column) + ": " +
                                                  std::string(why));
}

// A client-chosen name shortened for an error message, cut on a UTF-8 boundary.
std::string ShortName(std::string_view name) {
  constexpr size_t kMaxBytes = 64;
  if (name.size() <= kMaxBytes) return std::string(name);
  size_t end = kMaxBytes;
  while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
  return std::string(name.substr(0, end)) + "...";
}

// Builds the value as boost::json::parser does (same value_stack calls), and also stops the
// parse at what that parser lets through: duplicate keys, which different parsers resolve
// differently, and strings or member counts beyond ParseLimits, as soon as they are seen.
class StrictHandler {
 public:
  using error_code = boost::json::error_code;
  static constexpr size_t max_object_size = boost::json::object::max_size();
  static constexpr size_t max_array_size = boost::json::array::max_size();
  static constexpr size_t max_key_size = boost::json::string::max_size();
  static constexpr size_t max_string_size = boost::json::string::max_size();

  explicit StrictHandler(const ParseLimits& limits) : limits_(limits) {}

  boost::json::value_stack stack;
  std::string problem;  // Why the handler stopped the parse; empty if it did not.

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    object_key_starts_.push_back(keys_.size());
    return true;
  }
  bool on_object_end(size_t n, error_code& ec) {
    size_t start = object_key_starts_.back();
    object_key_starts_.pop_back();
    std::vector<std::string_view> sorted(keys_.begin() + static_cast<ptrdiff_t>(start),
                                         keys_.end());
    std::sort(sorted.begin(), sorted.end());
    auto duplicate = std::adjacent_find(sorted.begin(), sorted.end());
    if (duplicate != sorted.end())
      return Fail(ec, "duplicate key \"" + ShortName(*duplicate) + "\"");
    keys_.resize(start);
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(size_t n, error_code& ec) {
    if (!CountFields(n, ec)) return false;
    stack.push_array(n);
    return true;
  }
  bool on_key_part(boost::json::string_view s, size_t n, error_code& ec) {
    if (!CheckStringBytes(n, ec)) return false;
    pending_key_.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, size_t n, error_code& ec) {
    if (!CheckStringBytes(n, ec) || !CountFields(1, ec)) return false;
    pending_key_.append(s.data(), s.size());
    keys_.push_back(std::move(pending_key_));
    pending_key_.clear();
    stack.push_key(s);
    return true;
  }
  bool on_string_part(boost::json::string_view s, size_t n, error_code& ec) {
    if (!CheckStringBytes(n, ec)) return false;
    stack.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, size_t n, error_code& ec) {
    if (!CheckStringBytes(n, ec)) return false;
    stack.push_string(s);
    return true;
  }
  bool on_number_part(boost::json::string_view, error_code&) { return true; }
  bool on_int64(int64_t i, boost::json::string_view, error_code&) {
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, boost::json::string_view, error_code&) {
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view, error_code&) {
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view, error_code&) { return true; }
  bool on_comment(boost::json::string_view, error_code&) { return true; }

 private:
  bool Fail(error_code& ec, std::string why) {
    problem = std::move(why);
    ec = boost::json::make_error_code(boost::json::error::syntax);
    return false;
  }
  bool CheckStringBytes(size_t bytes, error_code& ec) {
    if (bytes <= limits_.max_string_bytes) return true;
    return Fail(ec,
                "a string or key exceeds " + std::to_string(limits_.max_string_bytes) + " bytes");
  }
  bool CountFields(size_t count, error_code& ec) {
    fields_ += count;
    if (fields_ <= limits_.max_fields) return true;
    return Fail(ec, "more than " + std::to_string(limits_.max_fields) + " members and elements");
  }

  const ParseLimits& limits_;
  uint64_t fields_ = 0;
  // The keys of every open object, innermost last; object_key_starts_ marks where each begins.
  std::vector<std::string> keys_;
  std::vector<size_t> object_key_starts_;
  std::string pending_key_;
};

// The text is valid UTF-8 (the parser checked), so code points are the non-continuation bytes
// and C1 controls are exactly the two-byte sequences C2 80 through C2 9F.
bool HasForbiddenControl(std::string_view text, TextPolicy policy) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20) {
      bool allowed = policy == TextPolicy::kMultiLine && (byte == '\n' || byte == '\t');
      if (!allowed) return true;
    } else if (byte == 0x7F) {
      return true;
    } else if (byte == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      return true;
    }
  }
  return false;
}

size_t CountCodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

ApiResult<JsonObject> ParseJsonObject(std::string_view body, const ParseLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return MakeError(
        ErrorCode::kPayloadTooLarge,
        "the request body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::basic_parser<StrictHandler> parser(options, limits);
  parser.handler().stack.reset();
  boost::json::error_code ec;
  size_t consumed = parser.write_some(/*more=*/false, body.data(), body.size(), ec);
  if (!ec && consumed < body.size()) {
    return Malformed(body, consumed, "unexpected data after the object");
  }
  if (ec) {
    const std::string& problem = parser.handler().problem;
    return Malformed(body, consumed, problem.empty() ? ec.message() : problem);
  }
  boost::json::value value = parser.handler().stack.release();
  if (!value.is_object()) {
    return MakeError(ErrorCode::kMalformedJson, "the body must be a JSON object");
  }
  auto impl = std::make_unique<JsonObject::Impl>();
  impl->object = std::move(value.get_object());
  return JsonObject(std::move(impl));
}

ObjectReader::ObjectReader(const JsonObject& object) : object_(object) {}

ObjectReader::Lookup ObjectReader::Find(std::string_view name, const boost::json::value** value) {
  read_names_.emplace_back(name);
  if (error_) return Lookup::kSkip;
  *value = object_.impl().object.if_contains(name);
  if (*value == nullptr || (*value)->is_null()) return Lookup::kAbsent;
  return Lookup::kFound;
}

void ObjectReader::Fail(ErrorCode code, std::string_view name, std::string_view why) {
  if (error_) return;
  error_ = MakeError(code, "field \"" + std::string(name) + "\" " + std::string(why));
}

std::optional<std::string> ObjectReader::ReadString(std::string_view name, bool required,
                                                    size_t max_length, TextPolicy policy,
                                                    size_t min_length) {
  const boost::json::value* value = nullptr;
  Lookup lookup = Find(name, &value);
  if (lookup == Lookup::kSkip) return std::nullopt;
  if (lookup == Lookup::kAbsent) {
    if (required) Fail(ErrorCode::kFieldRequired, name, "is required");
    return std::nullopt;
  }
  const boost::json::string* string = value->if_string();
  if (string == nullptr) {
    Fail(ErrorCode::kFieldInvalid, name, "must be a string");
    return std::nullopt;
  }
  std::string_view text(string->data(), string->size());
  size_t length = CountCodePoints(text);
  if (length < min_length || length > max_length) {
    Fail(ErrorCode::kFieldInvalid, name,
         "must be " + std::to_string(min_length) + " to " + std::to_string(max_length) +
             " characters long");
    return std::nullopt;
  }
  if (HasForbiddenControl(text, policy)) {
    Fail(ErrorCode::kFieldInvalid, name, "must not contain control characters");
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<int64_t> ObjectReader::ReadInt64(std::string_view name, bool required, int64_t min,
                                               int64_t max) {
  const boost::json::value* value = nullptr;
  Lookup lookup = Find(name, &value);
  if (lookup == Lookup::kSkip) return std::nullopt;
  if (lookup == Lookup::kAbsent) {
    if (required) Fail(ErrorCode::kFieldRequired, name, "is required");
    return std::nullopt;
  }
  std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
  // Boost.JSON makes an integer literal int64 when it fits, else uint64, else double; any
  // fraction or exponent makes a double. So only kind int64 is an acceptable integer.
  if (value->is_uint64()) {
    Fail(ErrorCode::kFieldInvalid, name, "must be an integer " + range);
    return std::nullopt;
  }
  if (!value->is_int64()) {
    Fail(ErrorCode::kFieldInvalid, name, "must be an integer (no fraction or exponent)");
    return std::nullopt;
  }
  int64_t number = value->get_int64();
  if (number < min || number > max) {
    Fail(ErrorCode::kFieldInvalid, name, "must be an integer " + range);
    return std::nullopt;
  }
  return number;
}

std::optional<bool> ObjectReader::ReadBool(std::string_view name, bool required) {
  const boost::json::value* value = nullptr;
  Lookup lookup = Find(name, &value);
  if (lookup == Lookup::kSkip) return std::nullopt;
  if (lookup == Lookup::kAbsent) {
    if (required) Fail(ErrorCode::kFieldRequired, name, "is required");
    return std::nullopt;
  }
  if (!value->is_bool()) {
    Fail(ErrorCode::kFieldInvalid, name, "must be true or false");
    return std::nullopt;
  }
  return value->get_bool();
}

std::optional<JsonObject> ObjectReader::OptionalObject(std::string_view name) {
  const boost::json::value* value = nullptr;
  Lookup lookup = Find(name, &value);
  if (lookup != Lookup::kFound) return std::nullopt;
  if (!value->is_object()) {
    Fail(ErrorCode::kFieldInvalid, name, "must be an object");
    return std::nullopt;
  }
  auto impl = std::make_unique<JsonObject::Impl>();
  impl->object = value->get_object();
  return JsonObject(std::move(impl));
}

void ObjectReader::Adopt(ApiError error) {
  if (!error_) error_ = std::move(error);
}

std::string ObjectReader::RequiredString(std::string_view name, size_t max_length,
                                         TextPolicy policy, size_t min_length) {
  return ReadString(name, true, max_length, policy, min_length).value_or(std::string());
}

std::optional<std::string> ObjectReader::OptionalString(std::string_view name, size_t max_length,
                                                        TextPolicy policy, size_t min_length) {
  return ReadString(name, false, max_length, policy, min_length);
}

int64_t ObjectReader::RequiredInt64(std::string_view name, int64_t min, int64_t max) {
  return ReadInt64(name, true, min, max).value_or(0);
}

std::optional<int64_t> ObjectReader::OptionalInt64(std::string_view name, int64_t min,
                                                   int64_t max) {
  return ReadInt64(name, false, min, max);
}

int64_t ObjectReader::RequiredAmount(std::string_view name, int64_t max_minor_units) {
  QB_ASSERT(max_minor_units >= 1);
  return ReadInt64(name, true, 1, max_minor_units).value_or(0);
}

std::string ObjectReader::RequiredEnum(std::string_view name,
                                       std::initializer_list<std::string_view> allowed) {
  // ParseLimits already bounds the bytes; a long value fails below as "not one of".
  std::optional<std::string> text = ReadString(name, true, std::numeric_limits<size_t>::max(),
                                               TextPolicy::kSingleLine, /*min_length=*/0);
  if (!text) return std::string();
  if (std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return *text;
  std::string list;
  for (std::string_view option : allowed) {
    if (!list.empty()) list += ", ";
    list += option;
  }
  Fail(ErrorCode::kFieldInvalid, name, "must be one of: " + list);
  return std::string();
}

bool ObjectReader::RequiredBool(std::string_view name) {
  return ReadBool(name, true).value_or(false);
}

std::optional<bool> ObjectReader::OptionalBool(std::string_view name) {
  return ReadBool(name, false);
}

std::optional<ApiError> ObjectReader::Finish() {
  if (error_) return error_;
  for (const auto& member : object_.impl().object) {
    std::string_view key = member.key();
    if (std::find(read_names_.begin(), read_names_.end(), key) == read_names_.end()) {
      error_ = MakeError(ErrorCode::kUnknownField, "unknown field \"" + ShortName(key) + "\"");
      return error_;
    }
  }
  return std::nullopt;
}

}  // namespace qb::api
