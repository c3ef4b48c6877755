// What the marketing route files share (marketing_routes.cc defines them; coupon_code_routes.cc
// uses them too). Private to the wallet.
#pragma once

#include <cstdint>

#include "engine/command.h"
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

}  // namespace qb::wallet
