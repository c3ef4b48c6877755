// What the route files of the wallet API share. Not part of the module's public header.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>

#include "api/errors.h"
#include "api/idempotency.h"
#include "api/json_writer.h"
#include "engine/command.h"
#include "identity/staff_book.h"
#include "store/store.h"
#include "wallet/services.h"

namespace qb::wallet {

// Who is calling, once a Bearer token has been checked.
struct Principal {
  enum class Kind : uint8_t { kCustomer, kStaff, kMerchant };
  Kind kind = Kind::kCustomer;
  uint64_t id = 0;     // Customer id, staff id or merchant-portal user id.
  uint32_t roles = 0;  // identity::StaffRole bits for staff; payments::kMerchant* for merchants.
  std::string token_hash;
  uint64_t merchant_id = 0;  // For merchant-portal users.
};

struct WalletContext;  // Defined in wallet_api.cc: services, session cache, workers, idempotency.

// --- Implemented by sessions.cc / wallet_api.cc ---

const WalletServices& Services(const WalletContext& context);
api::IdempotencyCache& Idempotency(WalletContext& context);
// Runs `work` on the worker pool (for argon2id, the bank, the verifier, SMS). If the pool's
// queue is full, answers OVERLOADED through `respond` instead and returns false.
bool RunOnWorker(WalletContext& context, std::function<void()> work, const Responder& respond);

// The caller as a customer, or nullopt after answering 401 UNAUTHORIZED through `respond`
// (no token, unknown, revoked, idle or absolutely expired). Refreshes the idle timer.
std::optional<Principal> RequireCustomer(WalletContext& context, const HttpRequest& request,
                                         const Responder& respond);
// The caller as staff holding at least one of the identity::StaffRole bits in `any_of`, or
// nullopt after answering 401 (not a live staff session) or 403 FORBIDDEN (none of those roles).
// Staff routes call it through AddStaffRoute (staff_access.h), whose table gives `any_of`.
std::optional<Principal> RequireStaffRoles(WalletContext& context, const HttpRequest& request,
                                           const Responder& respond, uint32_t any_of);
// The same with the roles listed (empty: any staff). Deprecated: use AddStaffRoute.
std::optional<Principal> RequireStaff(WalletContext& context, const HttpRequest& request,
                                      const Responder& respond,
                                      std::initializer_list<identity::StaffRole> any_of);

// The HTTP answer for an engine reply that is not kOk (503 OVERLOADED with Retry-After,
// 503 STORE_UNAVAILABLE, 500 INTERNAL for an invalid command).
HttpResponse EngineFailureResponse(const engine::Reply& reply);

// --- Implemented by views.cc (used by auth, money and console routes) ---

// Customer JSON per the contract (id as string, tier, masked name/ID, limits with spending).
api::JsonObjectWriter CustomerJson(const identity::Customer& customer,
                                   const identity::TierPolicy& policy, int64_t now_ns);
api::JsonObjectWriter CardJson(const identity::BoundCard& card);
// {"balance","available","pending_in","pending_out","currency"} of a wallet account.
api::JsonObjectWriter BalanceJson(const ledger::Account& wallet);
// One history line as the contract shows it, seen from `account_id`.
api::JsonObjectWriter HistoryEntryJson(const HistoryEntry& entry, uint64_t account_id);
// CustomerSummary for the console (masked phone).
api::JsonObjectWriter CustomerSummaryJson(const CustomerRow& row);
// "2026-11-23T01:02:03Z".
std::string Rfc3339(int64_t unix_ns);
// Days since 1970-01-01 to a civil date and back (Howard Hinnant's algorithms).
void CivilFromDays(int64_t days, int64_t* year, int64_t* month, int64_t* day);
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day);

// --- Route registration, one per file ---
void AddAuthRoutes(Router& router, WalletContext& context);     // auth_routes.cc
void AddMoneyRoutes(Router& router, WalletContext& context);    // money_routes.cc
void AddConsoleRoutes(Router& router, WalletContext& context);  // console_routes.cc
void AddAuditRoutes(Router& router, WalletContext& context);    // audit_routes.cc
void AddPiiRoutes(Router& router, WalletContext& context);      // pii_routes.cc
// security_event_routes.cc
void AddSecurityEventRoutes(Router& router, WalletContext& context);
// data_export_routes.cc
void AddDataExportRoutes(Router& router, WalletContext& context);
// account_closure_routes.cc
void AddAccountClosureRoutes(Router& router, WalletContext& context);
// The retention sweep (account_closure_routes.cc): submits engine::PurgeClosedIdentities until
// no closed account's identity is past its keeping period. Run by a PeriodicTask.
void PurgeClosedIdentities(WalletContext& context);
void AddSessionRoutes(Router& router, WalletContext& context);  // session_routes.cc
// marketing_routes.cc
void AddMarketingRoutes(Router& router, WalletContext& context);
void AddPointsRoutes(Router& router, WalletContext& context);        // points_routes.cc
void AddReferralRoutes(Router& router, WalletContext& context);      // referral_routes.cc
void AddLotteryRoutes(Router& router, WalletContext& context);       // lottery_routes.cc
void AddRedPacketRoutes(Router& router, WalletContext& context);     // red_packet_routes.cc
void AddCouponCodeRoutes(Router& router, WalletContext& context);    // coupon_code_routes.cc
void AddOfferRoutes(Router& router, WalletContext& context);         // offer_routes.cc
void AddCustomerListRoutes(Router& router, WalletContext& context);  // customer_list_routes.cc
// campaign_history_routes.cc: the dry run and the holdout uplift
void AddCampaignHistoryRoutes(Router& router, WalletContext& context);
// The held-cashback sweep (marketing_routes.cc): submits engine::ReleaseCashback until no hold
// past its release time is left. Run by a PeriodicTask.
void ReleaseDueCashback(WalletContext& context);
// The risk API (risk_routes.cc): rules, lists and the review queue for staff.
void AddRiskRoutes(Router& router, WalletContext& context);
void AddAmlRoutes(Router& router, WalletContext& context);  // aml_routes.cc
// 403 RISK_DENIED with the customer's message (risk::CustomerMessage, never the rule).
api::ApiError RiskDeniedError();
// What a customer is told about a payment held for review.
std::string_view RiskReviewMessage();

}  // namespace qb::wallet
