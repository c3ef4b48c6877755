// What the marketing route files share (marketing_routes.cc defines them; coupon_code_routes.cc
// and customer_list_routes.cc use them too). Private to the wallet.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"
#include "engine/command.h"
#include "engine/state_machine.h"
#include "server/http_server.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {

// 404 COUPON_TEMPLATE_NOT_FOUND.
HttpResponse TemplateNotFound();
// The answer to a marketing command that did not succeed: the campaign book's code for
// kRefused (BookRefusal), RISK_DENIED, and so on.
HttpResponse MarketingFailure(engine::MarketingResult result, const engine::Reply& reply);
// Answers 201 with the coupon as the customer sees it (as claiming it does).
void AnswerCoupon(WalletContext& context, uint64_t coupon_id, const Responder& respond);

// Lists of phones ops upload (a CSV the console sends in parts): {"phones": [...]}, 1 to
// kMaxListedPhones strings of at most 64 bytes. Coupon issues and custom lists take them.
inline constexpr size_t kMaxListedPhones = 4'000;
api::ApiResult<std::vector<std::string>> ParsePhones(std::string_view body);
// The open customers the phones name, in the order given and each once; the rows naming no
// open customer, those that are no phone, and how many repeat a customer named before.
struct ResolvedPhones {
  std::vector<uint64_t> customers;
  std::vector<std::string> not_found;
  std::vector<std::string> invalid;
  int64_t duplicates = 0;
};
ResolvedPhones ResolvePhones(const engine::StateMachine& state,
                             const std::vector<std::string>& given);

}  // namespace qb::wallet
