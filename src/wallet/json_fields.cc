#include "wallet/json_fields.h"

#include <utility>

#include "api/json_reader.h"

namespace qb::wallet {

api::ApiResult<boost::json::object> ParseRoot(std::string_view body) {
  api::ParseLimits limits;
  limits.max_fields = kMarketingMaxFields;
  api::ApiResult<api::JsonObject> strict = api::ParseJsonObject(body, limits);
  if (!strict.ok()) return strict.error();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return api::MakeError(api::ErrorCode::kMalformedJson, "the body is not a JSON object");
  }
  return std::move(value.as_object());
}

}  // namespace qb::wallet
