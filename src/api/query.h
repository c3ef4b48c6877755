// The query string of a request target, decoded strictly.
//
// "a=1&b=x%20y" gives a=1 and b="x y". '+' decodes to a space (form encoding), a name without
// '=' has the empty value, and empty segments ("a=1&&b=2", a trailing '&') are skipped. Rejected
// with BAD_REQUEST: a malformed escape ('%' not followed by two hex digits), an empty name, a
// name given twice, decoded text that is not valid UTF-8 or holds control characters, and more
// than kMaxQueryParameters parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/errors.h"

namespace qb::api {

inline constexpr size_t kMaxQueryParameters = 32;

class QueryParams {
 public:
  QueryParams() = default;
  explicit QueryParams(std::vector<std::pair<std::string, std::string>> pairs)
      : pairs_(std::move(pairs)) {}

  // The value of name, or nullopt when absent.
  std::optional<std::string_view> Get(std::string_view name) const;
  // The value of name, or fallback when absent.
  std::string_view GetOr(std::string_view name, std::string_view fallback = {}) const;
  // In the order given.
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// Takes the whole target ("/path?query"); a target without '?' has no parameters.
ApiResult<QueryParams> ParseQuery(std::string_view target);

}  // namespace qb::api
