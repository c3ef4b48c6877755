// The request decoder every route uses: ParseJsonObject within the limits, then an ObjectReader
// asking for the fields a money request has. Any body must end in a value or a stable error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/json_reader.h"
#include "base/assert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  qb::api::ApiResult<qb::api::JsonObject> parsed = qb::api::ParseJsonObject(body);
  if (!parsed.ok()) return 0;
  qb::api::ObjectReader reader(parsed.value());
  const std::string to = reader.RequiredString("to_phone", 20);
  const int64_t amount = reader.RequiredAmount("amount");
  const std::string currency = reader.RequiredEnum("currency", {"CNY"});
  const auto memo = reader.OptionalString("memo", 50, qb::api::TextPolicy::kMultiLine, 0);
  const auto limit = reader.OptionalInt64("limit", 1, 100);
  const auto flag = reader.OptionalBool("confirm");
  const auto error = reader.Finish();
  if (!error) {
    // Accepted: the values are inside what was asked for.
    QB_ASSERT(!to.empty() && to.size() <= 20 * 4);
    QB_ASSERT(amount >= 1 && amount <= qb::api::kMaxAmountMinorUnits);
    QB_ASSERT(currency == "CNY");
    QB_ASSERT(!limit || (*limit >= 1 && *limit <= 100));
  }
  (void)memo;
  (void)flag;
  return 0;
}
